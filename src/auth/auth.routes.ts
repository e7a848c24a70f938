import type { AppContext } from '../core/context.js';
import { principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { getOrgInScope } from '../orgs/index.js';
import { usersRepository } from '../users/index.js';
import { loginBody, meResponse, refreshBody, tokenResponse } from './auth.schemas.js';
import { login, logout, refresh } from './auth.service.js';

const tag = 'Đăng nhập';

export function authRoutes({ config, logger }: AppContext): RouteDef[] {
  return [
    {
      method: 'post', path: '/auth/login', tag, auth: 'public',
      summary: 'Đăng nhập',
      description: `Sai mật khẩu liên tiếp bị làm chậm dần; sau ${config.login.maxFailures} lần sai tài khoản tạm khóa ` +
        `${config.login.lockMinutes} phút (429 RATE_LIMITED, có Retry-After). Địa chỉ máy khách cũng bị giới hạn.`,
      schemas: { body: loginBody },
      responses: { 200: { description: 'Mã truy cập và mã làm mới', schema: tokenResponse } },
      handler: async (req, res) => {
        res.json(await login(config, req.body.username, req.body.password, req.ip ?? 'unknown'));
      },
    },
    {
      method: 'post', path: '/auth/refresh', tag, auth: 'public',
      summary: 'Đổi mã làm mới lấy cặp mã mới (mã cũ hết hiệu lực; dùng lại mã cũ sẽ thu hồi cả phiên)',
      schemas: { body: refreshBody },
      responses: { 200: { description: 'Cặp mã mới', schema: tokenResponse } },
      handler: async (req, res) => {
        res.json(await refresh(config, req.body.refreshToken, logger));
      },
    },
    {
      method: 'post', path: '/auth/logout', tag, auth: 'public',
      summary: 'Đăng xuất: thu hồi phiên của mã làm mới',
      schemas: { body: refreshBody },
      responses: { 204: { description: 'Đã đăng xuất' } },
      handler: async (req, res) => {
        await logout(req.body.refreshToken);
        res.status(204).end();
      },
    },
    {
      method: 'get', path: '/auth/me', tag,
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
  ];
}
