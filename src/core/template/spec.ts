import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';
import { conditionKeys } from './conditions.js';
import { readMigrations } from './migrations.js';
import { findForbiddenKey, findTooDeep } from './safe-keys.js';
import { yamlProblem } from '../yaml-message.js';
import type { AnswerValue, Choice, Condition, ConditionValue, FileRules, Question, QuestionType, TemplateSpec } from './types.js';

const TYPES: QuestionType[] = ['slug', 'text', 'multi', 'choice', 'number', 'date'];
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const KEY = /^[a-z][a-z0-9_]*$/;
const MAX_GLOB = 1000;
/** The fields a template.yaml may have at its top level (docs/templates.md). */
const TOP_KEYS = ['name', 'version', 'description', 'questions', 'files', 'changelog', 'migrations'];

type Raw = Record<string, unknown>;

class SpecReader {
  constructor(private readonly file: string) {}

  fail(path: string, what: string): never {
    throw new InputError(`${this.file}: ${path}: ${what}`, path);
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

/**
 * A `when` condition, checked whole: `{all: [..]}` / `{any: [..]}` of conditions, or
 * `{key: value}`, `{key: {any: [values]}}`, `{key: {not: value}}`. Anything else is refused here,
 * naming where, rather than failing later inside the evaluator.
 */
function readCondition(r: SpecReader, raw: unknown, path: string): Condition {
  const o = r.obj(raw, path);
  const keys = Object.keys(o);
  if (!keys.length) r.fail(path, 'must name at least one answer');
  for (const combinator of ['all', 'any'] as const) {
    if (!Array.isArray(o[combinator])) continue;
    if (keys.length !== 1) r.fail(path, `"${combinator}" must be the only key of its condition`);
    const list = o[combinator] as unknown[];
    if (!list.length) r.fail(`${path}.${combinator}`, 'must list at least one condition');
    return { [combinator]: list.map((c, i) => readCondition(r, c, `${path}.${combinator}[${i}]`)) } as Condition;
  }
  const scalar = (v: unknown, at: string): string | number => {
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
    if (typeof v === 'boolean') return String(v);
    return r.fail(at, 'must be a string or a number');
  };
  const out: Record<string, ConditionValue> = {};
  for (const key of keys) {
    const v = o[key];
    const at = `${path}.${key}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const inner = v as Raw;
      const ik = Object.keys(inner);
      if (ik.length === 1 && ik[0] === 'any') {
        if (!Array.isArray(inner.any) || !inner.any.length) r.fail(`${at}.any`, 'must be a non-empty list of values');
        out[key] = { any: (inner.any as unknown[]).map((x, i) => scalar(x, `${at}.any[${i}]`)) };
      } else if (ik.length === 1 && ik[0] === 'not') out[key] = { not: scalar(inner.not, `${at}.not`) };
      else r.fail(at, 'must be a value, {any: [values]} or {not: value}');
    } else out[key] = scalar(v, at);
  }
  return out as Condition;
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
      when: readCondition(r, dobj.when, `${dp}.when`),
      add: r.list(dobj.add, `${dp}.add`).map((v, j) => r.str(v, `${dp}.add[${j}]`)),
    };
  });
  let computed: Question['defaultComputed'];
  if (o.default !== null && typeof o.default === 'object' && !Array.isArray(o.default)) {
    // The one computed default: a date some whole months from today.
    const d = o.default as Raw;
    r.known(d, `${path}.default`, ['today_plus_months']);
    const months = r.num(d.today_plus_months, `${path}.default.today_plus_months`);
    if (type !== 'date') r.fail(`${path}.default`, 'today_plus_months is for a date question');
    if (months === undefined || !Number.isInteger(months) || months < 0 || months > 1200) r.fail(`${path}.default.today_plus_months`, 'must be a whole number of months from 0 to 1200');
    computed = { todayPlusMonths: months! };
  }
  return {
    key,
    type,
    message: r.str(o.message, `${path}.message`, key),
    default: computed ? undefined : (o.default as AnswerValue | undefined),
    ...(computed ? { defaultComputed: computed } : {}),
    defaultFrom: defaultFrom.length ? defaultFrom : undefined,
    when: o.when === undefined ? undefined : readCondition(r, o.when, `${path}.when`),
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
  r.known(o, 'files', ['conditional', 'verbatim', 'project_owned', 'renames']);
  const glob = (v: unknown, at: string) => {
    const g = r.str(v, at);
    if (g.length > MAX_GLOB) r.fail(at, `is ${g.length} characters long; the limit is ${MAX_GLOB}`);
    return g;
  };
  const globs = (name: string) => r.list(o[name], `files.${name}`).map((g, i) => glob(g, `files.${name}[${i}]`));
  return {
    conditional: r.list(o.conditional, 'files.conditional').map((c, i) => {
      const co = r.obj(c, `files.conditional[${i}]`);
      return {
        path: glob(co.path, `files.conditional[${i}].path`),
        when: readCondition(r, co.when, `files.conditional[${i}].when`),
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
 * Parses and validates a template.yaml. Every problem is an InputError naming the file and the
 * field, because a template may come from anywhere and must be refused before anything is written.
 */
export function parseTemplateSpec(text: string, file = 'template.yaml'): TemplateSpec {
  const r = new SpecReader(file);
  let raw: unknown;
  try {
    // A low alias budget refuses "billion laughs" documents.
    raw = parseYaml(text, { maxAliasCount: 50, prettyErrors: false });
  } catch (e) {
    // The YAML reader recurses: a document nested thousands deep overflows its stack.
    const why = /call stack/i.test((e as Error).message) ? 'it nests too deeply' : yamlProblem(e as Error);
    throw new InputError(`${file}: not valid YAML: ${why}`, file);
  }
  const deep = findTooDeep(raw);
  if (deep) r.fail(deep, 'nests too deeply');
  const bad = findForbiddenKey(raw);
  if (bad) r.fail(bad, 'this key name is not allowed');
  const o = r.obj(raw, '(top level)');
  const extra = Object.keys(o).find((k) => !TOP_KEYS.includes(k));
  if (extra !== undefined) r.fail(extra, `is not a known field (known: ${TOP_KEYS.join(', ')})`);
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
  const migrations = readMigrations(o.migrations, version, (path, what) => r.fail(path, what));
  return { name, version, description: r.str(o.description, 'description', ''), questions, files, ...(changelog ? { changelog } : {}), ...(migrations ? { migrations } : {}) };
}
