import { pino, type Logger } from 'pino';

/** Personal data and secrets never reach the log, whatever object is logged. */
const redact = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.passwordHash',
  '*.refreshToken',
  '*.accessToken',
  '*.citizenId',
  '*.accountNo',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact, base: { service: 'mai-am' }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
