import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { requestId } from './request-id.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The request's id (X-Request-Id): in its log lines, its audit entries and its problem answers. */
      id?: string;
      /** The service's logger; a line about the request names it with `reqId` (as the error handler does). */
      log?: Logger;
    }
  }
}

/**
 * One log line per request when its response is done, with its id, method, path, status and time taken. Query
 * strings may carry search text (names, CCCD), so only the path is logged; bodies never are.
 *
 * pino-http did this before, making two child loggers and serialising the request for every request; that was a
 * tenth of a case read's CPU (docs/benchmarks.md, "The request path, 2026-12-05, afternoon"). Here the line is written
 * from the service's logger, which is also `req.log`: the error handler's lines name the request with `reqId`.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const id = requestId(req, res);
    req.id = id;
    req.log = logger;
    if (req.url === '/healthz') {
      next();
      return;
    }
    const startedAt = performance.now();
    const query = req.url.indexOf('?');
    const path = query < 0 ? req.url : req.url.slice(0, query);
    const method = req.method;
    // A response emits 'close' when it is done, after 'finish' or without it when the connection went first.
    res.once('close', () => {
      const line = {
        reqId: id,
        req: { id, method, path },
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - startedAt),
      };
      if (!res.writableFinished) logger.warn(line, 'request aborted');
      else if (res.statusCode >= 500) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    });
    next();
  };
}
