import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import { conditionKeys } from './conditions.js';
import { findForbiddenKey } from './safe-keys.js';
import { yamlProblem } from '../yaml-message.js';
import type { AnswerValue, Choice, Condition, FileRules, Question, QuestionType, TemplateSpec } from './types.js';

const TYPES: QuestionType[] = ['slug', 'text', 'multi', 'choice', 'number', 'date'];
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const KEY = /^[a-z][a-z0-9_]*$/;

type Raw = Record<string, unknown>;

class SpecReader {
  constructor(private readonly file: string) {}

  fail(path: string, what: string): never {
    throw new UsageError(`${this.file}: ${path}: ${what}`);
  }

  obj(v: unknown, path: string): Raw {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(path, 'must be a mapping');
    return v as Raw;
  }

  str(v: unknown, path: string, fallback?: string): string {
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' && typeof v !== 'number') this.fail(path, 'must be a string');
    return String(v);
  }

  list(v: unknown, path: string): unknown[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(path, 'must be a list');
    return v;
  }

  /** Unknown keys are refused: in YAML flow style a stray comma silently makes one. */
  known(o: Raw, path: string, keys: string[]): void {
    const extra = Object.keys(o).find((k) => !keys.includes(k));
    if (extra !== undefined) this.fail(`${path}.${extra}`, `is not a known field (known: ${keys.join(', ')}); quote values that contain commas`);
  }

  num(v: unknown, path: string): number | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, 'must be a number');
    return v;
  }
}

const QUESTION_KEYS = ['key', 'type', 'message', 'default', 'default_from', 'when', 'choices', 'required', 'multiline', 'min', 'max', 'integer'];

function readChoices(r: SpecReader, raw: unknown, path: string): Choice[] {
  return r.list(raw, path).map((c, i) => {
    if (typeof c === 'string' || typeof c === 'number') return { value: String(c), label: String(c) };
    const o = r.obj(c, `${path}[${i}]`);
    r.known(o, `${path}[${i}]`, ['value', 'label']);
    const value = r.str(o.value, `${path}[${i}].value`);
    return { value, label: r.str(o.label, `${path}[${i}].label`, value) };
  });
}

function readQuestion(r: SpecReader, raw: unknown, path: string): Question {
  const o = r.obj(raw, path);
  r.known(o, path, QUESTION_KEYS);
  const key = r.str(o.key, `${path}.key`);
  if (!KEY.test(key)) r.fail(`${path}.key`, `"${key}" must be lower_snake_case`);
  const type = r.str(o.type, `${path}.type`) as QuestionType;
  if (!TYPES.includes(type)) r.fail(`${path}.type`, `"${type}" is not one of ${TYPES.join(', ')}`);
  const choices = o.choices === undefined ? undefined : readChoices(r, o.choices, `${path}.choices`);
  if ((type === 'multi' || type === 'choice') && !choices?.length) r.fail(`${path}.choices`, `a ${type} question needs choices`);
  const defaultFrom = r.list(o.default_from, `${path}.default_from`).map((d, i) => {
    const dp = `${path}.default_from[${i}]`;
    const dobj = r.obj(d, dp);
    return {
      when: r.obj(dobj.when, `${dp}.when`) as Condition,
      add: r.list(dobj.add, `${dp}.add`).map((v, j) => r.str(v, `${dp}.add[${j}]`)),
    };
  });
  return {
    key,
    type,
    message: r.str(o.message, `${path}.message`, key),
    default: o.default as AnswerValue | undefined,
    defaultFrom: defaultFrom.length ? defaultFrom : undefined,
    when: o.when === undefined ? undefined : (r.obj(o.when, `${path}.when`) as Condition),
    choices,
    required: o.required === undefined ? true : o.required === true,
    multiline: o.multiline === true,
    min: r.num(o.min, `${path}.min`),
    max: r.num(o.max, `${path}.max`),
    integer: o.integer === true,
  };
}

function readFileRules(r: SpecReader, raw: unknown): FileRules {
  const o = raw === undefined || raw === null ? {} : r.obj(raw, 'files');
  const globs = (name: string) => r.list(o[name], `files.${name}`).map((g, i) => r.str(g, `files.${name}[${i}]`));
  return {
    conditional: r.list(o.conditional, 'files.conditional').map((c, i) => {
      const co = r.obj(c, `files.conditional[${i}]`);
      return {
        path: r.str(co.path, `files.conditional[${i}].path`),
        when: r.obj(co.when, `files.conditional[${i}].when`) as Condition,
      };
    }),
    verbatim: globs('verbatim'),
    projectOwned: globs('project_owned'),
    renames: r.list(o.renames, 'files.renames').map((c, i) => {
      const ro = r.obj(c, `files.renames[${i}]`);
      return { from: r.str(ro.from, `files.renames[${i}].from`), to: r.str(ro.to, `files.renames[${i}].to`) };
    }),
  };
}

/** `changelog:` maps versions to Markdown notes; both are checked like every other field. */
function readChangelog(r: SpecReader, raw: unknown): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const o = r.obj(raw, 'changelog');
  const out: Record<string, string> = {};
  for (const [version, notes] of Object.entries(o)) {
    if (!SEMVER.test(version)) r.fail(`changelog.${version}`, `"${version}" is not a semantic version like 1.2.3 (quote it if YAML read it as a number)`);
    if (typeof notes !== 'string') r.fail(`changelog.${version}`, 'must be Markdown text');
    if (notes.length > 20_000) r.fail(`changelog.${version}`, 'is over 20,000 characters');
    out[version] = notes;
  }
  return out;
}

/**
 * Parses and validates a template.yaml. Every problem is a UsageError naming the file and the
 * field, because a template may come from anywhere and must be refused before anything is written.
 */
export function parseTemplateSpec(text: string, file = 'template.yaml'): TemplateSpec {
  const r = new SpecReader(file);
  let raw: unknown;
  try {
    // A low alias budget refuses "billion laughs" documents.
    raw = parseYaml(text, { maxAliasCount: 50, prettyErrors: false });
  } catch (e) {
    throw new UsageError(`${file}: not valid YAML: ${yamlProblem(e as Error)}`);
  }
  const bad = findForbiddenKey(raw);
  if (bad) r.fail(bad, 'this key name is not allowed');
  const o = r.obj(raw, '(top level)');
  const name = r.str(o.name, 'name');
  const version = r.str(o.version, 'version');
  if (!SEMVER.test(version)) r.fail('version', `"${version}" is not a semantic version like 1.2.3`);
  const questions = r.list(o.questions, 'questions').map((q, i) => readQuestion(r, q, `questions[${i}]`));
  const seen = new Set<string>();
  for (const [i, q] of questions.entries()) {
    if (seen.has(q.key)) r.fail(`questions[${i}].key`, `"${q.key}" is asked twice`);
    seen.add(q.key);
  }
  const files = readFileRules(r, o.files);
  const conds: [string, Condition][] = [
    ...questions.flatMap((q, i) => [
      ...(q.when ? [[`questions[${i}].when`, q.when] as [string, Condition]] : []),
      ...(q.defaultFrom ?? []).map((d, j) => [`questions[${i}].default_from[${j}].when`, d.when] as [string, Condition]),
    ]),
    ...files.conditional.map((c, i) => [`files.conditional[${i}].when`, c.when] as [string, Condition]),
  ];
  for (const [path, cond] of conds) {
    for (const key of conditionKeys(cond)) if (!seen.has(key)) r.fail(path, `refers to "${key}", which is not a question`);
  }
  const changelog = readChangelog(r, o.changelog);
  return { name, version, description: r.str(o.description, 'description', ''), questions, files, ...(changelog ? { changelog } : {}) };
}
