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
        'Errors are `application/problem+json` with a stable `code` and a Vietnamese `detail`.',
        'Lists answer `{ items, total, page, limit }`; `limit` is at most 100.',
        'Unknown fields, and any field name containing `$` or `.`, are refused with 400 `VALIDATION_FAILED`.',
        'Objects outside the caller\'s organisation subtree answer 404; a missing role answers 403.',
        'Answers are `Cache-Control: private, no-store` unless a route says otherwise: they depend on who asks.',
        '',
        'Roles: ' + Object.entries(ROLE_NAMES).map(([role, name]) => `\`${role}\` (${name})`).join(', ') + '.',
      ].join('\n'),
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: problemSchema },
    },
    paths,
  };
}
