/** E11000: a unique index refused the write. Same code on MongoDB and on the embedded engine. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
