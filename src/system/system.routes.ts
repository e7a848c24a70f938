import express from 'express';
import { pingDatabase } from '../core/db/connection.js';
import { problem, sendProblem } from '../core/http/problem.js';

/** Probes for load balancers, outside /api/v1 and without authentication. */
export function healthRouter(isShuttingDown: () => boolean): express.Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (isShuttingDown()) {
      sendProblem(res, problem(503, 'SERVICE_UNAVAILABLE', 'Dịch vụ đang dừng.'));
      return;
    }
    if (!(await pingDatabase())) {
      sendProblem(res, problem(503, 'SERVICE_UNAVAILABLE', 'Không kết nối được cơ sở dữ liệu.'));
      return;
    }
    res.json({ status: 'ready' });
  });
  return router;
}
