import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Joi from 'joi';

/**
 * The wording of decisions is data (SPEC §6): one JSON file per program in `templates/`, `default.json` for
 * programs without their own, and a province's overrides in `templates/overrides/<PROVINCE CODE>/`. Every file
 * is checked when the service starts, so a broken template stops the start instead of the first approval.
 */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates', import.meta.url));

/** Usable in every text. */
export const COMMON_PLACEHOLDERS = [
  'issuerName',
  'issuerShortName',
  'parentName',
  'place',
  'programName',
  'campaignName',
  'caseCount',
  'totalAmount',
  'totalAmountInWords',
] as const;
/** Only in the texts of a decision for one case: they name that case. */
export const SINGLE_PLACEHOLDERS = [
  'beneficiaryName',
  'unionName',
  'upperUnionName',
  'subtypeName',
  'amount',
  'amountInWords',
  'caseCode',
] as const;
export type Placeholder = (typeof COMMON_PLACEHOLDERS)[number] | (typeof SINGLE_PLACEHOLDERS)[number];

export interface DecisionTexts {
  subject: string;
  decidingBody: string;
  legalBases: string[];
  articles: string[];
  recipients: string[];
}

export interface DecisionTemplate extends DecisionTexts {
  /** How each subtype is named in the texts (`{subtypeName}`), e.g. new_build → "xây dựng". */
  subtypes: Record<string, string>;
  /** The texts of a batch decision; fields left out are the single decision's. */
  batch: DecisionTexts;
  /** The file(s) it came from, kept on each decision: `union_house.json + overrides/HT/union_house.json`. */
  source: string;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const line = Joi.string().trim().min(1).max(2000);
const list = Joi.array().items(line).min(1).max(30);
const textFields = { subject: line, decidingBody: line, legalBases: list, articles: list, recipients: list };

const templateSchema = Joi.object({
  description: Joi.string().allow('').description('For the people who edit the file; not printed'),
  ...textFields,
  subtypes: Joi.object()
    .pattern(/^[a-z][a-z0-9_]{0,39}$/, line)
    .default({}),
  batch: Joi.object({ ...textFields, articles: list.required() }).required(),
}).fork(['subject', 'decidingBody', 'legalBases', 'articles', 'recipients'], (field) => field.required());

/** An override may name any field; `subtypes` and `batch` merge key by key, the rest replace. */
const overrideSchema = Joi.object({
  description: Joi.string().allow(''),
  ...textFields,
  subtypes: Joi.object().pattern(/^[a-z][a-z0-9_]{0,39}$/, line),
  batch: Joi.object(textFields),
}).min(1);

type RawTemplate = Omit<DecisionTemplate, 'source' | 'batch'> & { batch: Partial<DecisionTexts> };

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Every `{name}` must be one the text may use; a lone brace is a typo that would print as is. */
function placeholderProblems(text: string, allowed: readonly string[]): string[] {
  const problems = [...text.matchAll(PLACEHOLDER)]
    .map((match) => match[1]!)
    .filter((name) => !allowed.includes(name))
    .map((name) =>
      (COMMON_PLACEHOLDERS as readonly string[]).includes(name) ||
      (SINGLE_PLACEHOLDERS as readonly string[]).includes(name)
        ? `{${name}} names one case and cannot be used in a batch decision`
        : `unknown placeholder {${name}}`,
    );
  if (/[{}]/.test(text.replace(PLACEHOLDER, ''))) problems.push('unbalanced "{" or "}"');
  return problems;
}

/** The legal bases read as one sentence (Nghị định 30/2020): each ends with ";", the last one with ".". */
function basesProblems(bases: string[]): string[] {
  return bases.flatMap((basis, i) => {
    const end = i === bases.length - 1 ? '.' : ';';
    return basis.endsWith(end) ? [] : [`must end with "${end}"`];
  });
}

function textsProblems(texts: DecisionTexts, allowed: readonly string[], prefix: string): string[] {
  const problems: string[] = [];
  const check = (path: string, text: string) =>
    problems.push(...placeholderProblems(text, allowed).map((p) => `${prefix}${path}: ${p}`));
  check('subject', texts.subject);
  check('decidingBody', texts.decidingBody);
  for (const key of ['legalBases', 'articles', 'recipients'] as const)
    texts[key].forEach((text, i) => check(`${key}[${i}]`, text));
  problems.push(...basesProblems(texts.legalBases).map((p, i) => `${prefix}legalBases[${i}]: ${p}`));
  return problems;
}

function batchTexts(raw: RawTemplate): DecisionTexts {
  return {
    subject: raw.batch.subject ?? raw.subject,
    decidingBody: raw.batch.decidingBody ?? raw.decidingBody,
    legalBases: raw.batch.legalBases ?? raw.legalBases,
    articles: raw.batch.articles!,
    recipients: raw.batch.recipients ?? raw.recipients,
  };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TemplateError(`Decision template ${path}: not valid JSON (${(error as Error).message})`);
  }
}

function validated(schema: Joi.ObjectSchema, value: unknown, name: string): RawTemplate {
  const { value: checked, error } = schema.validate(value, { abortEarly: false, convert: true });
  if (error) throw new TemplateError(`Decision template ${name}: ${error.details.map((d) => d.message).join('; ')}`);
  return checked as RawTemplate;
}

/** A whole template (after any override is laid over it): placeholders and bases of both the single and batch texts. */
function finished(raw: RawTemplate, source: string, path: string): DecisionTemplate {
  const batch = batchTexts(raw);
  const problems = [
    ...textsProblems(raw, [...COMMON_PLACEHOLDERS, ...SINGLE_PLACEHOLDERS], ''),
    ...textsProblems(batch, COMMON_PLACEHOLDERS, 'batch (or the field it inherits).'),
  ];
  if (problems.length) throw new TemplateError(`Decision template ${path}: ${problems.join('; ')}`);
  const { description: _description, ...texts } = raw as RawTemplate & { description?: string };
  return { ...texts, batch, source };
}

function merge(base: RawTemplate, override: Partial<RawTemplate>): RawTemplate {
  return {
    ...base,
    ...override,
    subtypes: { ...base.subtypes, ...(override.subtypes ?? {}) },
    batch: { ...base.batch, ...(override.batch ?? {}) },
  };
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && statSync(join(dir, name)).isFile())
    .sort();
}

export interface TemplateSet {
  /** The template for a program in a province: the province's override, else the program's, else default. */
  forProgram(programCode: string, provinceCode: string): DecisionTemplate;
  /** Every file that was loaded, for the start log. */
  files: string[];
}

/**
 * Loads and checks every template under `dir`; throws a TemplateError naming the file at the first broken one.
 * `default.json` is required, so that a program added by an administrator always has wording.
 */
export function loadTemplates(dir: string = TEMPLATES_DIR): TemplateSet {
  const root = resolve(dir);
  if (!existsSync(root)) throw new TemplateError(`Decision templates: folder ${root} not found`);
  const base = new Map<string, RawTemplate>();
  const templates = new Map<string, DecisionTemplate>();
  for (const file of jsonFiles(root)) {
    const program = basename(file, '.json');
    const path = join(root, file);
    const raw = validated(templateSchema, readJson(path), path);
    base.set(program, raw);
    templates.set(program, finished(raw, file, path));
  }
  if (!base.has('default'))
    throw new TemplateError(
      `Decision templates: ${join(root, 'default.json')} is missing (used by programs without a template)`,
    );

  const overridesDir = join(root, 'overrides');
  const files = [...templates.values()].map((t) => t.source);
  if (existsSync(overridesDir)) {
    for (const province of readdirSync(overridesDir).filter((name) =>
      statSync(join(overridesDir, name)).isDirectory(),
    )) {
      for (const file of jsonFiles(join(overridesDir, province))) {
        const program = basename(file, '.json');
        const name = `overrides/${province}/${file}`;
        const path = join(root, name);
        const override = validated(overrideSchema, readJson(path), path);
        const baseName = base.has(program) ? `${program}.json` : 'default.json';
        const merged = merge(base.get(program) ?? base.get('default')!, override);
        templates.set(
          `${province}/${program}`,
          finished(merged, `${baseName} + ${name}`, `${path} (over ${baseName})`),
        );
        files.push(name);
      }
    }
  }
  return {
    files,
    forProgram(programCode, provinceCode) {
      return (
        templates.get(`${provinceCode}/${programCode}`) ??
        templates.get(programCode) ??
        templates.get(`${provinceCode}/default`) ??
        templates.get('default')!
      );
    },
  };
}

/** Fills `{name}` with its value; a value the decision lacks (no campaign) prints as nothing. */
export function fillText(text: string, values: Partial<Record<Placeholder, string>>): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => values[name as Placeholder] ?? '');
}
