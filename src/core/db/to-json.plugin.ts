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

/** Arrays and plain objects copied all the way down; ids, dates and other values kept as they are. */
function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (typeof value !== 'object' || value === null) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = copyPlain((value as Record<string, unknown>)[key]);
  return copy;
}

interface Field {
  path: string;
  type: { getDefault(scope: unknown, init: boolean): unknown };
  child?: Schema;
}

const fieldsCache = new WeakMap<Schema, Field[]>();

/** A schema's top-level fields, listed once (a case read walks them for the case and each history entry). */
function fieldsOf(schema: Schema): Field[] {
  let fields = fieldsCache.get(schema);
  if (!fields) {
    fields = Object.entries(schema.paths)
      .filter(([path]) => !path.includes('.'))
      .map(([path, type]) => ({
        path,
        type: type as unknown as Field['type'],
        child: (type as { schema?: Schema }).schema,
      }));
    fieldsCache.set(schema, fields);
  }
  return fields;
}

/** The schema's defaults laid into a copied document where a field is missing, as `hydrate` would (subdocuments too). */
function fillDefaults(schema: Schema, doc: Record<string, unknown>): void {
  for (const { path, type, child } of fieldsOf(schema)) {
    if (doc[path] === undefined) {
      const fallback = type.getDefault(undefined, true);
      if (fallback !== undefined) doc[path] = copyPlain(fallback);
      continue;
    }
    if (!child) continue;
    const value = doc[path];
    if (Array.isArray(value)) {
      for (const item of value)
        if (typeof item === 'object' && item !== null) fillDefaults(child, item as Record<string, unknown>);
    } else if (typeof value === 'object' && value !== null) fillDefaults(child, value as Record<string, unknown>);
  }
}

const privatePathsCache = new WeakMap<Schema, string[][]>();

/**
 * What `Model.hydrate(record).toJSON()` answers for a lean record of a schema that has this plugin, without
 * building the mongoose document (casting every history entry cost more than the rest of a case read): a copy
 * with the schema's defaults for missing fields, `id` for `_id`, no `__v` and no private field.
 */
export function leanToJSON(schema: Schema, record: object): Record<string, unknown> {
  const json = copyPlain(record) as Record<string, unknown>;
  fillDefaults(schema, json);
  if (json._id !== undefined) {
    json.id = String(json._id);
    delete json._id;
  }
  delete json.__v;
  let privatePaths = privatePathsCache.get(schema);
  if (!privatePaths) {
    privatePaths = privatePathsOf(schema).map((path) => path.split('.'));
    privatePathsCache.set(schema, privatePaths);
  }
  for (const parts of privatePaths) deletePath(json, parts);
  return json;
}
