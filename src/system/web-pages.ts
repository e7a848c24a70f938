import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import expressStaticGzip from 'express-static-gzip';

/** Built pages live in `dist/web` at the project root, whether the service runs from `dist/` or from `src/`. */
const DEFAULT_WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

const NOT_BUILT =
  '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Mái ấm</title>' +
  '<p>Trang web chưa được dựng. Chạy <code>npm run build</code> rồi khởi động lại dịch vụ.</p></html>';

/** Paths that belong to the service, never to the pages' client-side routes. */
const SERVICE_PATHS = /^\/(api|docs|healthz|readyz)(\/|$)/;

/**
 * Serves the web application: hashed assets with a year-long immutable cache, other files briefly cached,
 * and `index.html` (never cached, so a deploy is seen at once) for every client route. An asset that the build also
 * wrote compressed (`.br` at brotli's quality 11, `.gz` at gzip's level 9: src/web/vite.config.ts) is sent in the
 * best encoding the browser accepts, as stored; the compression middleware leaves an answer that has its encoding.
 */
export function webPages(configured: string): express.Router {
  const dir = configured || DEFAULT_WEB_DIR;
  const router = express.Router();
  const assets = expressStaticGzip(path.join(dir, 'assets'), {
    enableBrotli: true,
    orderPreference: ['br', 'gz'],
    index: false,
    serveStatic: { immutable: true, maxAge: '365d', index: false, fallthrough: false },
  });
  router.use('/assets', (req, res, next) => {
    // It replaces `Vary` with `Accept-Encoding`: what was said before it (cors's `Origin`) is said again. The file is
    // sent later (after a stat), so the headers are still open here.
    const before = res.getHeader('Vary');
    assets(req, res, next);
    if (before && !res.headersSent) res.vary(String(before));
  });
  router.use(express.static(dir, { index: false, maxAge: '1h' }));
  router.use((req, res, next) => {
    // Only a browser navigating asks for text/html; API clients and probes get the API's 404 problem. The front
    // page is the exception: whoever probes `curl http://host/` must see the service is there, not a 404.
    const read = req.method === 'GET' || req.method === 'HEAD';
    const navigation = read && (req.path === '/' || req.get('accept')?.includes('text/html'));
    if (!navigation || SERVICE_PATHS.test(req.path)) {
      next();
      return;
    }
    res.set('Cache-Control', 'no-cache');
    const index = path.join(dir, 'index.html');
    if (!existsSync(index)) {
      res.status(503).type('html').send(NOT_BUILT);
      return;
    }
    res.sendFile(index);
  });
  return router;
}
