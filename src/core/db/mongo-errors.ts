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
