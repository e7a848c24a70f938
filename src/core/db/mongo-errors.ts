/** E11000: a unique index refused the write. Same code on MongoDB and on the embedded engine. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** A bulk insert (`ordered: false`) whose every refused document was refused by a unique index. */
export function onlyDuplicateKeys(error: unknown): boolean {
  const { writeErrors, validationErrors } = (error ?? {}) as { writeErrors?: unknown; validationErrors?: unknown };
  if (Array.isArray(validationErrors) && validationErrors.length) return false;
  if (Array.isArray(writeErrors) && writeErrors.length) return writeErrors.every(isDuplicateKeyError);
  return isDuplicateKeyError(error);
}

/**
 * The positions of the documents a bulk insert (`ordered: false`) refused, when every refusal was a duplicate key
 * (`onlyDuplicateKeys`); the other documents were inserted. Throws `error` again when it is anything else.
 */
export function refusedAsDuplicates(error: unknown): Set<number> {
  if (!onlyDuplicateKeys(error)) throw error;
  const { writeErrors } = error as { writeErrors?: WriteErrorLike | WriteErrorLike[] };
  const refused = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  const indexes = refused.map((e) => e.index ?? e.err?.index).filter((i): i is number => typeof i === 'number');
  if (!indexes.length) throw error;
  return new Set(indexes);
}
type WriteErrorLike = { index?: number; err?: { index?: number } };
