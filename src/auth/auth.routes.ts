import type { AppContext } from '../core/context.js';
import { principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { getOrgInScope } from '../orgs/index.js';
import { usersRepository } from '../users/index.js';
import { loginBody, meResponse, refreshBody, tokenResponse } from './auth.schemas.js';
import { login, logout, refresh } from './auth.service.js';
import { DEVICE_COOKIE, deviceTokensOf, setDeviceCookie } from './device-cookie.js';
import { lockedAccountRoutes } from './locked-accounts.routes.js';
import { clearRefreshCookie, refreshTokenOf, sendTokens, TRANSPORT_HEADER, wantsCookie } from './refresh-cookie.js';
import { UnauthenticatedError, ValidationError } from '../core/errors.js';

const tag = 'Đăng nhập';

const cookieHeader = [
  {
    name: TRANSPORT_HEADER,
    required: false,
    description:
      '`cookie`: trang web nhận mã làm mới trong cookie HttpOnly (SameSite=Strict, chỉ gửi tới /api/v1/auth) thay vì trong JSON.',
  },
] as const;

export function authRoutes({ config, logger }: AppContext): RouteDef[] {
  return [
    {
      method: 'post',
      path: '/auth/login',
      tag,
      auth: 'public',
      rateLimit: 'auth',
      summary: 'Đăng nhập',
      description:
        'Sai mật khẩu liên tiếp từ một địa chỉ làm chậm dần các lần thử sau của tên đăng nhập đó từ địa chỉ đó ' +
        `(thời gian chờ tăng gấp đôi mỗi lần); sau ${config.login.maxFailures} lần sai, cặp tên đăng nhập × địa chỉ tạm khóa ` +
        `${config.login.lockMinutes} phút (429 RATE_LIMITED, có Retry-After) — chỉ cặp đó, không khóa tài khoản ở nơi khác. ` +
        `Quá ${config.login.maxFailuresPerIp} lần sai từ một địa chỉ (mọi tên đăng nhập) làm chậm các lần thử từ địa chỉ đó, không từ chối. ` +
        `Đăng nhập thành công đặt cookie thiết bị (${DEVICE_COOKIE}, HttpOnly); lần sau từ thiết bị đó không bị làm chậm hay khóa ` +
        'vì những lần sai từ nơi khác. Tài khoản bị vô hiệu hóa nhận đúng câu trả lời như sai mật khẩu.',
      schemas: { body: loginBody },
      headers: cookieHeader,
      responses: {
        200: { description: 'Mã truy cập và mã làm mới', schema: tokenResponse },
        401: { description: 'Sai tên đăng nhập hoặc mật khẩu (`UNAUTHENTICATED`)' },
      },
      handler: async (req, res) => {
        const result = await login(config, {
          username: req.body.username,
          password: req.body.password,
          address: req.ip ?? 'unknown',
          deviceTokens: deviceTokensOf(req),
          requestId: String(req.id ?? ''),
        });
        if (result.deviceTokens) setDeviceCookie(config, res, result.deviceTokens);
        sendTokens(config, req, res, result.pair);
      },
    },
    {
      method: 'post',
      path: '/auth/refresh',
      tag,
      auth: 'public',
      rateLimit: 'auth',
      summary: 'Đổi mã làm mới lấy cặp mã mới (mã cũ hết hiệu lực; dùng lại mã cũ sẽ thu hồi cả phiên)',
      description:
        '`refreshToken` trong nội dung là bắt buộc (400 nếu thiếu), trừ khi `X-Auth-Transport: cookie` và trình duyệt gửi cookie.',
      // The document lists refreshToken as required; the cookie transport, which JSON Schema cannot state, is in the text.
      schemas: { body: refreshBody.meta({ swagger: { required: ['refreshToken'] } }) },
      headers: cookieHeader,
      responses: {
        200: { description: 'Cặp mã mới', schema: tokenResponse },
        401: { description: 'Mã làm mới không còn hiệu lực (`UNAUTHENTICATED`)' },
      },
      handler: async (req, res) => {
        const token = refreshTokenOf(req);
        if (!token && !wantsCookie(req))
          throw new ValidationError([{ path: 'refreshToken', message: 'Thiếu mã làm mới.' }]);
        if (!token) {
          clearRefreshCookie(config, res);
          throw new UnauthenticatedError('Phiên đăng nhập không còn hiệu lực, vui lòng đăng nhập lại.');
        }
        try {
          sendTokens(config, req, res, await refresh(config, token, logger));
        } catch (err) {
          clearRefreshCookie(config, res);
          throw err;
        }
      },
    },
    {
      method: 'post',
      path: '/auth/logout',
      tag,
      auth: 'public',
      summary: 'Đăng xuất: thu hồi phiên của mã làm mới',
      schemas: { body: refreshBody },
      headers: cookieHeader,
      responses: { 204: { description: 'Đã đăng xuất' } },
      handler: async (req, res) => {
        const token = refreshTokenOf(req);
        if (token) await logout(token);
        clearRefreshCookie(config, res);
        res.status(204).end();
      },
    },
    {
      method: 'get',
      path: '/auth/me',
      tag,
      summary: 'Người dùng hiện tại và tổ chức của họ',
      responses: { 200: { description: 'Người dùng', schema: meResponse } },
      handler: async (req, res) => {
        const principal = principalOf(req);
        const [user, org] = await Promise.all([
          usersRepository.findById(principal.userId),
          getOrgInScope(principal, principal.orgId),
        ]);
        res.json({
          ...usersRepository.toJSON(user!),
          org: { id: String(org._id), code: org.code, name: org.name, level: org.level },
        });
      },
    },
    ...lockedAccountRoutes,
  ];
}
