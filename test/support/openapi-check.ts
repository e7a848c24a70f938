/**
 * Checks an API answer against the OpenAPI document the app serves, so the document cannot drift from
 * what the service does: the status must be declared for the operation, the content type declared for
 * that status, and a JSON body must match the declared schema. Answers to paths or methods the document
 * does not describe (the web pages, an unknown route) are left to the test that asked for them.
 *
 * Ajv 8 compiles the schemas straight from the document (OpenAPI 3.0 schemas are JSON Schema plus
 * `nullable`, which Ajv knows); `$ref`s resolve inside the document.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type request from 'supertest';

type Json = Record<string, unknown>;

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

export interface OpenApiChecker {
  check(method: string, path: string, res: request.Response): string | undefined;
}

// ajv-formats is CommonJS whose default export arrives as a namespace under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

function pointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]!.trim().toLowerCase() || undefined;
}

function matchesType(declared: string, actual: string): boolean {
  if (declared === '*/*' || declared === actual) return true;
  return declared.endsWith('/*') && actual.startsWith(declared.slice(0, -1));
}

export function openApiChecker(doc: Json): OpenApiChecker {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema(doc, 'openapi.json');
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+');
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${source}$`),
        params: (template.match(/\{/g) ?? []).length,
        responses: operation.responses as Operation['responses'],
      });
    }
  }
  // A literal segment wins over a parameter: `/cases/export` before `/cases/{id}`.
  operations.sort((a, b) => a.params - b.params);
  const compiled = new Map<string, ValidateFunction>();

  function validatorFor(op: Operation, status: string, type: string): ValidateFunction {
    const ref = `openapi.json#/${pointer('paths', op.template, op.method.toLowerCase(), 'responses', status, 'content', type, 'schema')}`;
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    return validate;
  }

  return {
    check(method, path, res) {
      const upper = method.toUpperCase();
      const bare = path.split('?')[0]!;
      // The most specific templates that match the path are its resource (as the router reads it): a method
      // they do not have is an undeclared method, not an operation of a template with more parameters.
      const fewest = operations.find((o) => o.pattern.test(bare))?.params;
      const op = operations.find((o) => o.method === upper && o.params === fewest && o.pattern.test(bare));
      if (!op) return undefined;
      const where = `${upper} ${op.template} answered ${res.status}`;
      const declared =
        op.responses[String(res.status)] ?? op.responses[`${String(res.status)[0]}XX`] ?? op.responses.default;
      if (!declared)
        return `${where}, a status the OpenAPI document does not declare (declared: ${Object.keys(op.responses).join(', ')})`;
      const status = op.responses[String(res.status)]
        ? String(res.status)
        : op.responses[`${String(res.status)[0]}XX`]
          ? `${String(res.status)[0]}XX`
          : 'default';
      const type = mediaType(res.headers['content-type'] as string | undefined);
      const content = declared.content ?? {};
      if (!type) {
        return Object.keys(content).length && res.status !== 204 && upper !== 'HEAD'
          ? `${where} without a Content-Type, while the document declares ${Object.keys(content).join(', ')}`
          : undefined;
      }
      const declaredType = Object.keys(content).find((t) => matchesType(t, type));
      if (!declaredType)
        return `${where} as ${type}, a content type the document does not declare (declared: ${Object.keys(content).join(', ') || 'no body'})`;
      if (!/^application\/(.+\+)?json$/.test(type)) return undefined;
      const validate = validatorFor(op, status, declaredType);
      if (validate(res.body)) return undefined;
      const errors = (validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
      );
      return `${where}: the body does not match the document: ${errors.join('; ')}`;
    },
  };
}
