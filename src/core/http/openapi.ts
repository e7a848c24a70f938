import { createRequire } from 'node:module';
import type Joi from 'joi';
import { ERROR_TITLES } from '../errors.js';
import { ROLE_NAMES } from '../roles.js';
import { rateLimitOf, type RouteDef } from './route.js';

type Json = Record<string, unknown>;

// joi-to-swagger is CommonJS whose typings declare an ES default export; require() sidesteps the mismatch.
const joiToSwagger = createRequire(import.meta.url)('joi-to-swagger') as (schema: Joi.Schema) => { swagger: Json };

function schemaOf(schema: Joi.Schema): Json {
  return joiToSwagger(schema).swagger;
}

function parametersOf(route: RouteDef): Json[] {
  const result: Json[] = (route.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: h.required, schema: { type: 'string' }, description: h.description }));
  for (const where of ['params', 'query'] as const) {
    const schema = route.schemas?.[where];
    if (!schema) continue;
    const described = schema.describe() as { keys?: Record<string, { flags?: { presence?: string } }> };
    const properties = (schemaOf(schema).properties ?? {}) as Record<string, Json>;
    for (const [name, property] of Object.entries(properties)) {
      result.push({
        name,
        in: where === 'params' ? 'path' : 'query',
        required: where === 'params' || described.keys?.[name]?.flags?.presence === 'required',
        schema: property,
        ...(property.description ? { description: property.description } : {}),
      });
    }
  }
  return result;
}

function requestBodyOf(route: RouteDef): Json {
  const schema = schemaOf(route.schemas!.body!);
  if (route.bodyType !== 'multipart') return { required: true, content: { 'application/json': { schema } } };
  const properties = { ...(schema.properties as Json), file: { type: 'string', format: 'binary', description: 'Tệp tải lên' } };
  const required = [...((schema.required as string[] | undefined) ?? []), 'file'];
  return { required: true, content: { 'multipart/form-data': { schema: { ...schema, properties, required } } } };
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'Vietnamese explanation for people' },
    code: { type: 'string', enum: Object.keys(ERROR_TITLES) },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/** What each feature's group of operations is for, in the order the page lists them. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  'Đăng nhập': 'Đăng nhập, làm mới phiên, đăng xuất, đổi mật khẩu.',
  'Tổ chức': 'Cây tổ chức công đoàn: tỉnh, ngành trung ương, cấp trên, xã/phường, cơ sở.',
  'Tổ chức lại': 'Di chuyển, giải thể, sáp nhập tổ chức theo ngày hiệu lực; tiến độ và lịch sử.',
  'Người dùng': 'Tài khoản và vai trò của cán bộ.',
  'Đoàn viên': 'Hồ sơ đoàn viên; số CCCD được che trừ khi vai trò cần xem đủ.',
  'Chương trình': 'Các chương trình hỗ trợ và quy định mức hỗ trợ.',
  'Đợt hỗ trợ': 'Các đợt của chương trình (ví dụ quà Tết năm nay).',
  'Hồ sơ': 'Hồ sơ đề nghị hỗ trợ và các bước: gửi, thẩm định, phê duyệt, trả lại, từ chối.',
  'Giấy tờ': 'Giấy tờ kèm hồ sơ: tải lên, xem, xóa.',
  'Quyết định': 'Quyết định hỗ trợ đã ban hành, tệp PDF và kiểm tra tính xác thực.',
  'Nguồn kinh phí': 'Nguồn kinh phí, điều chỉnh và sổ theo dõi.',
  'Chi trả': 'Chi trả, hoàn trả, danh sách chuyển khoản và mã VietQR.',
  'Danh sách': 'Nhập danh sách từ tệp và xử lý cả danh sách một lần.',
  'Báo cáo': 'Báo cáo tổng hợp theo kỳ và sổ chi tiết, tải về PDF hoặc XLSX.',
  'Quản trị': 'Đối soát dữ liệu, tài khoản tạm khóa và kiểm tra nhật ký kiểm toán, dành cho quản trị viên.',
  'Công việc dài': 'Công việc chạy nền (nhập danh sách, thao tác và chi trả cả danh sách): tiến độ, kết quả, hủy.',
  'Công khai': 'Số liệu công khai theo chương trình, đợt và tra cứu quyết định theo số, không cần đăng nhập.',
};

/** One tag per feature, so that the API page groups the operations; each with what it is for. */
function tagsOf(routes: readonly RouteDef[]): Json[] {
  const names = [...new Set(routes.map((route) => route.tag))];
  return names.map((name) => (TAG_DESCRIPTIONS[name] ? { name, description: TAG_DESCRIPTIONS[name] } : { name }));
}

/** OpenAPI 3 document generated from the same route table and Joi schemas that serve requests. */
export function buildOpenApi(routes: readonly RouteDef[], info: { version: string }): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = `/api/v1${route.path.replace(/:(\w+)/g, '{$1}')}`;
    const responses: Json = {};
    for (const [status, doc] of Object.entries(route.responses)) {
      responses[status] = {
        description: doc.description,
        ...(doc.schema ? { content: { [doc.contentType ?? 'application/json']: { schema: schemaOf(doc.schema) } } } : {}),
      };
    }
    responses.default = {
      description: 'Lỗi (problem+json, RFC 9457)',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
    if (rateLimitOf(route)) {
      responses['429'] = {
        description: 'Quá nhiều yêu cầu từ một địa chỉ (RATE_LIMITED); header `Retry-After` cho biết số giây cần chờ',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    const roleText = route.roles?.length ? `\n\nVai trò được phép: ${route.roles.map((r) => `\`${r}\``).join(', ')}.` : '';
    paths[path] = {
      ...(paths[path] ?? {}),
      [route.method]: {
        summary: route.summary,
        description: `${route.description ?? ''}${roleText}`.trim() || undefined,
        tags: [route.tag],
        security: route.auth === 'public' ? [] : route.auth === 'optional' ? [{}, { bearerAuth: [] }] : [{ bearerAuth: [] }],
        parameters: parametersOf(route),
        ...(route.schemas?.body ? { requestBody: requestBodyOf(route) } : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Mái ấm API',
      version: info.version,
      description: [
        'Quản lý hồ sơ hỗ trợ đoàn viên công đoàn (Mái ấm Công đoàn, quà Tết, hỗ trợ thiên tai).',
        '',
        'Lỗi trả về dạng `application/problem+json` (RFC 9457) với `code` cố định và `detail` tiếng Việt.',
        'Danh sách trả về `{ items, total, page, limit }`; `limit` tối đa 100.',
        'Trường lạ, và mọi tên trường chứa ký tự `$` hoặc dấu chấm, bị từ chối: 400 `VALIDATION_FAILED`.',
        'Đối tượng ngoài cây tổ chức của người gọi trả về 404; thiếu vai trò trả về 403.',
        'Câu trả lời mang `Cache-Control: private, no-store` trừ khi đường dẫn nói khác: chúng tùy người hỏi.',
        '',
        'Vai trò: ' + Object.entries(ROLE_NAMES).map(([role, name]) => `\`${role}\` (${name})`).join(', ') + '.',
      ].join('\n'),
    },
    servers: [{ url: '/' }],
    tags: tagsOf(routes),
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: problemSchema },
    },
    paths,
  };
}
