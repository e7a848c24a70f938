import type { Schema } from 'mongoose';

/**
 * One place that shapes stored documents for clients (SPEC Appendix A): `id` as a string instead of
 * `_id`, no `__v`, and nothing a schema marks `private: true` (password hashes, search keys), also inside
 * subdocuments and arrays of them (the stored file name of a case's document), whose own schemas mongoose
 * never transforms.
 */
export function toJSONPlugin(schema: Schema): void {
  const privatePaths = privatePathsOf(schema);
  schema.set('toJSON', {
    virtuals: false,
    versionKey: false,
    transform(_doc, ret: Record<string, unknown>) {
      if (ret._id !== undefined) {
        ret.id = String(ret._id);
        delete ret._id;
      }
      for (const path of privatePaths) deletePath(ret, path.split('.'));
      return ret;
    },
  });
}

function privatePathsOf(schema: Schema, prefix = ''): string[] {
  return Object.entries(schema.paths).flatMap(([path, type]) => {
    if ((type.options as { private?: boolean }).private) return [`${prefix}${path}`];
    const child = (type as { schema?: Schema }).schema;
    return child ? privatePathsOf(child, `${prefix}${path}.`) : [];
  });
}

function deletePath(node: unknown, parts: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) deletePath(item, parts);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const [head, ...rest] = parts as [string, ...string[]];
  if (rest.length) deletePath((node as Record<string, unknown>)[head], rest);
  else delete (node as Record<string, unknown>)[head];
}
