import mongoose, { type Schema } from 'mongoose';
import { toJSONPlugin } from './to-json.plugin.js';

// Unknown fields are never stored, and queries on paths outside the schema fail instead of matching everything.
mongoose.set('strict', 'throw');
mongoose.set('strictQuery', 'throw');

/**
 * Every model is compiled here, so that each one gets the JSON shape of SPEC Appendix A (`id`, no `__v`,
 * no private fields). A global `mongoose.plugin` would miss models compiled before it was registered.
 */
export function defineModel<S extends Schema>(name: string, schema: S) {
  schema.plugin(toJSONPlugin);
  return mongoose.model(name, schema);
}
