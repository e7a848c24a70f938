import { NotFoundError } from '../core/errors.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { BUILTIN_PROGRAMS } from './builtin-programs.js';
import { Program } from './programs.model.js';

/** Inserts the built-in programs that are missing; never overwrites what an administrator changed. */
export async function ensureBuiltinPrograms(): Promise<void> {
  for (const program of BUILTIN_PROGRAMS) {
    if (await Program.exists({ code: program.code })) continue;
    try {
      await Program.create(program);
    } catch (error) {
      // Another instance starting at the same moment inserted it first.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}

export async function listPrograms() {
  const programs = await Program.find({}).sort({ code: 1 });
  return programs.map((p) => p.toJSON());
}

export async function getProgram(code: string) {
  const program = await Program.findOne({ code });
  if (!program) throw new NotFoundError('chương trình');
  return program.toJSON();
}
