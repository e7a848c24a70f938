/**
 * What the log keeps of an unexpected error. Driver and library messages often repeat the value they
 * refused (`Cast to ObjectId failed for value "…"`, `dup key: { citizenId: "…" }`), which is user input and
 * may be personal data, so quoted text, braces and long digit runs are blanked; the stack keeps only frames.
 */
export interface SafeError {
  type: string;
  message: string;
  code?: string | number;
  stack: string[];
}

const QUOTED_OR_BRACED = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\{[^{}]*\}/gu;
const LONG_DIGITS = /\d{4,}/gu;
const MAX_MESSAGE = 300;

export function logSafeError(error: unknown): SafeError {
  if (!(error instanceof Error)) return { type: typeof error, message: '', stack: [] };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message.replace(QUOTED_OR_BRACED, '«…»').replace(LONG_DIGITS, '«…»').slice(0, MAX_MESSAGE),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: (error.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /u.test(line))
      .map((line) => line.trim()),
  };
}
