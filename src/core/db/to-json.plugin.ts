import type { Schema } from 'mongoose';

/**
 * One place that shapes stored documents for clients (SPEC Appendix A): `id` as a string instead of
 * `_id`, no `__v`, and nothing a schema marks `private: true` (password hashes, search keys).
 */
export function toJSONPlugin(schema: Schema): void {
  const privatePaths = Object.entries(schema.paths)
    .filter(([, type]) => (type.options as { private?: boolean }).private)
    .map(([path]) => path);
  schema.set('toJSON', {
    virtuals: false,
    versionKey: false,
    transform(_doc, ret: Record<string, unknown>) {
      if (ret._id !== undefined) {
        ret.id = String(ret._id);
        delete ret._id;
      }
      for (const path of privatePaths) deletePath(ret, path);
      return ret;
    },
  });
}

function deletePath(target: Record<string, unknown>, path: string): void {
  const parts = path.split('.');
  let node: unknown = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node === 'object' && node !== null) delete (node as Record<string, unknown>)[parts.at(-1)!];
}
