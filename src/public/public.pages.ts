import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { AppError } from '../core/errors.js';
import { verifyDecisionById, verifyDecisionByNumber, verifyDecisionByToken } from '../decisions/index.js';
import { PERIOD_KEY } from '../reports/index.js';
import { publicSummary } from './summary.service.js';
import { summaryPage } from './summary.page.js';
import { lookupPage, notFoundPage, verificationPage, type LookupForm } from './verify.page.js';

const TOKEN = /^[A-Za-z0-9_-]{22}$/;
/** An organisation's code as the orgs feature accepts it (upper case). */
const ORG_CODE = /^[A-Z0-9][A-Z0-9_.-]{0,31}$/;
const ID = /^[a-f0-9]{24}$/;

/** A refusal a person can read: the page with the reason and the status, instead of problem+json. */
function sendPage(res: Response, status: number, body: string): void {
  res.status(status).set('Cache-Control', 'no-cache').type('html').send(body);
}

/** Errors a visitor causes (not found, bad input) become a page; anything else goes to the error handler. */
function pageRoute(render: (req: Request, res: Response) => Promise<string>): RequestHandler {
  return async (req, res) => {
    try {
      sendPage(res, 200, await render(req, res));
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 429) throw error;
      const reason = error.extra.errors?.map((e) => e.message).join('; ');
      sendPage(res, error.status, notFoundPage(reason ? `${error.detail} ${reason}.` : error.detail));
    }
  };
}

const one = (value: unknown): string | undefined => (typeof value === 'string' ? value.trim().slice(0, 60) : undefined);

/** `/xac-minh?number=&issuer=&year=`: the form, and the answer when a number was typed. */
async function lookup(req: Request): Promise<string> {
  const form: LookupForm = { number: one(req.query.number), issuer: one(req.query.issuer), year: one(req.query.year) };
  if (!form.number && !form.issuer) return lookupPage(form);
  if (!form.number || !form.issuer)
    return lookupPage(form, { error: 'Hãy nhập cả số quyết định và mã đơn vị ban hành.' });
  if (!ORG_CODE.test(form.issuer.toUpperCase()))
    return lookupPage(form, { error: 'Mã đơn vị gồm chữ cái không dấu và chữ số, ví dụ HT.' });
  if (form.year && !/^\d{4}$/.test(form.year))
    return lookupPage(form, { error: 'Năm ban hành gồm 4 chữ số, ví dụ 2026.' });
  try {
    return lookupPage(form, {
      result: await verifyDecisionByNumber(form.number, form.issuer, form.year ? Number(form.year) : undefined),
    });
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    const reason = error.extra.errors?.map((e) => e.message).join('; ');
    return lookupPage(form, {
      error:
        error.status === 404
          ? 'Không tìm thấy quyết định có số này của đơn vị này. Hãy kiểm tra lại số và mã đơn vị.'
          : `${error.detail}${reason ? ` ${reason}.` : ''}`,
    });
  }
}

/** Browsers ask for text/html first; a program asking for JSON gets the API's answer on the same address. */
const wantsJson = (req: Request) => req.accepts(['text/html', 'application/json']) === 'application/json';
const wantsPage = (req: Request) => req.accepts(['application/json', 'text/html']) === 'text/html';

/**
 * The public pages (SPEC §15, issue 15.3): what a decision's QR code opens, the lookup by number and the
 * province's published totals. Server-rendered, without script and without the signed-in bundle; every page
 * sits behind the per-address limit.
 */
export function publicPages(limit: RequestHandler): express.Router {
  const router = express.Router();

  router.get('/xac-minh', limit, pageRoute(lookup));

  router.get('/xac-minh/:token', limit, async (req, res, next: NextFunction) => {
    const token = String(req.params.token);
    if (wantsJson(req)) {
      if (!TOKEN.test(token)) return next();
      res.set('Cache-Control', 'no-cache').json(await verifyDecisionByToken(token));
      return undefined;
    }
    return pageRoute(async () => {
      if (!TOKEN.test(token))
        return Promise.reject(new AppError(404, 'NOT_FOUND', 'Không tìm thấy quyết định với mã xác thực này.'));
      return verificationPage(await verifyDecisionByToken(token));
    })(req, res, next);
  });

  // Decisions issued before the token print this API address in their QR code: a phone opening it gets the page.
  router.get(
    '/api/v1/decisions/:id/verify',
    (req, _res, next) =>
      next(wantsPage(req) && !req.get('authorization') && ID.test(String(req.params.id)) ? undefined : 'route'),
    limit,
    pageRoute(async (req) => verificationPage(await verifyDecisionById(undefined, String(req.params.id)))),
  );

  router.get(
    '/cong-khai/:code',
    limit,
    pageRoute(async (req) => {
      if (!ORG_CODE.test(String(req.params.code).toUpperCase()))
        throw new AppError(404, 'NOT_FOUND', 'Không tìm thấy tỉnh, thành phố.');
      const period = one(req.query.period);
      if (period && !PERIOD_KEY.test(period))
        throw new AppError(400, 'VALIDATION_FAILED', 'Kỳ phải có dạng 2026, 2026-H1, 2026-Q3 hoặc 2026-08.');
      return summaryPage(await publicSummary(String(req.params.code), period || undefined));
    }),
  );

  return router;
}
