import { createRequire } from 'node:module';
import type Joi from 'joi';
import { ERROR_TITLES } from '../errors.js';
import { allowedTextPattern, MULTI_LINE_FIELDS } from './control-characters.js';
import { ROLE_NAMES } from '../shared/roles.js';
import { rateLimitOf, type RouteDef } from './route.js';

type Json = Record<string, unknown>;

// joi-to-swagger is CommonJS whose typings declare an ES default export; require() sidesteps the mismatch.
const joiToSwagger = createRequire(import.meta.url)('joi-to-swagger') as (schema: Joi.Schema) => { swagger: Json };

function schemaOf(schema: Joi.Schema): Json {
  return nullableEnums(joiToSwagger(schema).swagger);
}

/** OpenAPI 3.0: `nullable` does not widen an `enum`, so a nullable enum lists `null` itself (as Joi's `.valid(…, null)` means). */
function nullableEnums(node: Json): Json {
  if (Array.isArray(node)) return node.map((item) => nullableEnums(item as Json)) as unknown as Json;
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node))
    out[key] = value && typeof value === 'object' ? nullableEnums(value as Json) : value;
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null))
    out.enum = [...(out.enum as unknown[]), null];
  return out;
}

interface JoiDescription {
  type?: string;
  allow?: unknown[];
  flags?: { empty?: unknown; only?: boolean; presence?: string };
  rules?: { name: string; args?: { limit?: number } }[];
  keys?: Record<string, JoiDescription>;
  items?: JoiDescription[];
  matches?: { schema?: JoiDescription }[];
}

/**
 * What joi-to-swagger leaves out of request schemas, written in so the document is as strict as the server:
 * Joi refuses an empty string unless it allows one (`minLength: 1`); a trimmed string's `min` counts what is
 * left after trimming (five spaces are not five characters); and no string may hold a control or bidi
 * character (`rejectControlCharacters`; tab and line breaks only in the body's paragraph fields). Strings with
 * their own pattern, format or list of values are left as they are: those already exclude such characters.
 */
function tightenStrings(described: JoiDescription, node: Json, inBody: boolean, field = ''): void {
  if (!node || typeof node !== 'object') return;
  if (described.type === 'string' && node.type === 'string' && !node.enum && !node.pattern && !node.format) {
    const rules = described.rules ?? [];
    const min = rules.find((rule) => rule.name === 'min')?.args?.limit;
    const trimmed = rules.some((rule) => rule.name === 'trim');
    const allowsEmpty = (described.allow ?? []).includes('') || described.flags?.empty !== undefined;
    if (!allowsEmpty && min === undefined && node.minLength === undefined) node.minLength = 1;
    const noControls = `(?![\\s\\S]*${allowedTextPattern(inBody && MULTI_LINE_FIELDS.has(field))})`;
    const least = min ?? 1;
    node.pattern =
      trimmed && !allowsEmpty && least >= 2
        ? `^${noControls}\\s*\\S[\\s\\S]{${least - 2},}\\S\\s*$`
        : trimmed && !allowsEmpty
          ? `^${noControls}[\\s\\S]*\\S`
          : `^${noControls}`;
  }
  if (described.type === 'object' && described.keys && node.properties) {
    for (const [key, child] of Object.entries(described.keys))
      tightenStrings(child, (node.properties as Record<string, Json>)[key]!, inBody, key);
  }
  if (described.type === 'array' && described.items?.length === 1 && node.items)
    tightenStrings(described.items[0]!, node.items as Json, inBody, field);
}

/**
 * An answer's fields are always there unless its schema says otherwise: every key of a response object is
 * `required` in the document unless the Joi key is `.optional()` (a field some answers leave out). Joi reads a
 * key without presence as optional, which suits validating input but would make every field of the client's
 * generated types optional; the tests check every answer against the document, so a field that is in fact
 * sometimes absent fails them until its schema says `.optional()`.
 */
function requireAnswerKeys(described: JoiDescription, node: Json): void {
  if (!node || typeof node !== 'object') return;
  if (described.type === 'object' && described.keys && node.properties) {
    const properties = node.properties as Record<string, Json>;
    const present = Object.entries(described.keys)
      .filter(([key, child]) => key in properties && !['optional', 'forbidden'].includes(child.flags?.presence ?? ''))
      .map(([key]) => key);
    const required = [...new Set([...((node.required as string[] | undefined) ?? []), ...present])];
    if (required.length) node.required = required;
    for (const [key, child] of Object.entries(described.keys))
      if (properties[key]) requireAnswerKeys(child, properties[key]);
  }
  if (described.type === 'array' && described.items?.length === 1 && node.items)
    requireAnswerKeys(described.items[0]!, node.items as Json);
  if (described.type === 'alternatives' && described.matches) {
    const options = (node.anyOf ?? node.oneOf) as Json[] | undefined;
    if (options?.length === described.matches.length)
      described.matches.forEach((match, i) => match.schema && requireAnswerKeys(match.schema, options[i]!));
  }
}

/** A response schema: the Joi schema's document, its fields required unless marked `.optional()`. */
function responseSchemaOf(schema: Joi.Schema): Json {
  const swagger = schemaOf(schema);
  requireAnswerKeys(schema.describe() as JoiDescription, swagger);
  return swagger;
}

/** A request schema (body, query, path): the Joi schema's document, tightened where the server is stricter. */
function requestSchemaOf(schema: Joi.Schema, inBody: boolean): Json {
  const swagger = schemaOf(schema);
  tightenStrings(schema.describe() as JoiDescription, swagger, inBody);
  return swagger;
}

function parametersOf(route: RouteDef): Json[] {
  const result: Json[] = (route.headers ?? []).map((h) => ({
    name: h.name,
    in: 'header',
    required: h.required,
    schema: { type: 'string' },
    description: h.description,
  }));
  for (const where of ['params', 'query'] as const) {
    const schema = route.schemas?.[where];
    if (!schema) continue;
    const described = schema.describe() as { keys?: Record<string, { flags?: { presence?: string } }> };
    const properties = (requestSchemaOf(schema, false).properties ?? {}) as Record<string, Json>;
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
  const schema = requestSchemaOf(route.schemas!.body!, true);
  // A body whose every field is optional may be left out (logout reads the refresh cookie instead).
  const required = Boolean((schema.required as string[] | undefined)?.length);
  if (route.bodyType !== 'multipart') return { required, content: { 'application/json': { schema } } };
  const properties = {
    ...(schema.properties as Json),
    file: { type: 'string', format: 'binary', description: 'Tệp tải lên' },
  };
  const fields = [...((schema.required as string[] | undefined) ?? []), 'file'];
  return {
    required: true,
    content: { 'multipart/form-data': { schema: { ...schema, properties, required: fields } } },
  };
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

const problemRef = { $ref: '#/components/schemas/Problem' };

/**
 * Error answers every route of a kind can give, from what the router does before the handler: the query is
 * always validated (400), a signed-in route checks the token (401) and the roles (403), an object named in
 * the path or the body may be outside the caller's scope (404), a signed-in write meets the state and the rules
 * of what it changes (409, 422), a body is parsed with a size limit and a content type
 * (413, 415), and unauthenticated routes are rate-limited per address (429). A route adds its own (409, 422…)
 * in its `responses`; a description it gives wins.
 */
/** A query such as `orgId=` names an object that may be outside the caller's scope. */
function namesAnObjectInQuery(route: RouteDef): boolean {
  const keys = (route.schemas?.query?.describe() as { keys?: Record<string, unknown> } | undefined)?.keys ?? {};
  return Object.keys(keys).some((name) => name.endsWith('Id'));
}

function isWrite(route: RouteDef): boolean {
  return route.method !== 'get';
}

const DERIVED_ERRORS: readonly { status: number; description: string; applies: (route: RouteDef) => boolean }[] = [
  { status: 400, description: 'Dữ liệu gửi lên không hợp lệ (`VALIDATION_FAILED`)', applies: () => true },
  {
    status: 401,
    description: 'Chưa đăng nhập hoặc mã truy cập không hợp lệ (`UNAUTHENTICATED`)',
    applies: (r) => r.auth !== 'public',
  },
  { status: 403, description: 'Vai trò không được phép (`FORBIDDEN`)', applies: (r) => Boolean(r.roles?.length) },
  {
    status: 404,
    description:
      'Không tìm thấy, hoặc ngoài phạm vi của người hỏi (`NOT_FOUND`), kể cả một mã đối tượng gửi trong nội dung hoặc truy vấn',
    applies: (r) => r.path.includes(':') || (isWrite(r) && Boolean(r.schemas?.body)) || namesAnObjectInQuery(r),
  },
  {
    status: 409,
    description: 'Xung đột với trạng thái hiện tại: mã lỗi và điều kiện trong mô tả của thao tác',
    applies: (r) => isWrite(r) && r.auth !== 'public',
  },
  {
    status: 422,
    description: 'Không thỏa quy định nghiệp vụ: mã lỗi và điều kiện trong mô tả của thao tác',
    applies: (r) => isWrite(r) && r.auth !== 'public',
  },
  {
    status: 413,
    description: 'Nội dung gửi lên quá lớn (`PAYLOAD_TOO_LARGE`)',
    applies: (r) => Boolean(r.schemas?.body),
  },
  {
    status: 415,
    description: 'Nội dung không phải JSON hoặc multipart (`UNSUPPORTED_MEDIA_TYPE`)',
    applies: (r) => Boolean(r.schemas?.body),
  },
  {
    status: 429,
    description: 'Quá nhiều yêu cầu từ địa chỉ này (`RATE_LIMITED`), xem header `Retry-After`',
    applies: (r) => r.auth === 'public',
  },
];

function errorResponse(description: string): Json {
  return { description, content: { 'application/problem+json': { schema: problemRef } } };
}

/** The route's own answers, then the derived error answers, in status order; an error declared without a schema is problem+json. */
function responsesOf(route: RouteDef): Json {
  const responses: Record<string, Json> = {};
  for (const derived of DERIVED_ERRORS) {
    if (derived.applies(route)) responses[derived.status] = errorResponse(derived.description);
  }
  for (const [status, doc] of Object.entries(route.responses)) {
    const error = Number(status) >= 400 && !doc.schema;
    if (error && !doc.contentType) {
      responses[status] = errorResponse(doc.description);
      continue;
    }
    const types = doc.contentType ? [doc.contentType].flat() : doc.schema ? ['application/json'] : [];
    const schemaFor = (type: string) =>
      error && isJson(type) ? problemRef : isJson(type) && doc.schema ? responseSchemaOf(doc.schema) : binary;
    const content = Object.fromEntries(types.map((type) => [type, { schema: schemaFor(type) }]));
    responses[status] = { description: doc.description, ...(types.length ? { content } : {}) };
  }
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

const binary = { type: 'string', format: 'binary' };

function isJson(type: string): boolean {
  return /^application\/(.+\+)?json$/.test(type);
}

/** OpenAPI 3 document generated from the same route table and Joi schemas that serve requests. */
export function buildOpenApi(routes: readonly RouteDef[], info: { version: string }): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = `/api/v1${route.path.replace(/:(\w+)/g, '{$1}')}`;
    const responses = responsesOf(route);
    if (rateLimitOf(route) && !responses['429']) {
      responses['429'] = errorResponse(
        'Quá nhiều yêu cầu từ một địa chỉ (`RATE_LIMITED`); header `Retry-After` cho biết số giây cần chờ',
      );
    }
    const roleText = route.roles?.length
      ? `\n\nVai trò được phép: ${route.roles.map((r) => `\`${r}\``).join(', ')}.`
      : '';
    paths[path] = {
      ...(paths[path] ?? {}),
      [route.method]: {
        summary: route.summary,
        description: `${route.description ?? ''}${roleText}`.trim() || undefined,
        tags: [route.tag],
        security:
          route.auth === 'public' ? [] : route.auth === 'optional' ? [{}, { bearerAuth: [] }] : [{ bearerAuth: [] }],
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
        'Vai trò: ' +
          Object.entries(ROLE_NAMES)
            .map(([role, name]) => `\`${role}\` (${name})`)
            .join(', ') +
          '.',
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
