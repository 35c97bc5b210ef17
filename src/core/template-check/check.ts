/**
 * `template check`: renders a template with a covering set of answers and finds what would
 * break a project made from it. Pure: a loaded template in, findings out. The checks that need
 * Python (compiling .py, parsing TOML) are handed to the caller as a list of texts, and their
 * results come back into `findings`.
 */
import { parseAllDocuments } from 'yaml';
import { isBinary } from '../merge/binary.js';
import { evaluate } from '../template/conditions.js';
import { matchesAny } from '../template/glob.js';
import { toOutputPath, unsafePathReason } from '../template/paths.js';
import { createRenderer } from '../template/render.js';
import type { AnswerValue, Answers, Condition, LoadedTemplate } from '../template/types.js';
import { coveringSet, type Combination } from './combos.js';
import { markdownLinks } from './links.js';

/** An answer, or "this list answer includes the value". */
export type Cause = AnswerValue | { includes: string };

export type FindingKind = 'spec' | 'render' | 'path' | 'parse' | 'link' | 'unrendered' | 'unused-question' | 'tag';

export interface Finding {
  kind: FindingKind;
  /** The template file (under files/) or question key it is about. */
  file?: string;
  message: string;
  /** The answers that make it happen (empty: every combination that renders the file). */
  answers?: Record<string, Cause>;
  /** How many of the combinations show it, out of those that render the file. */
  failing?: number;
  rendering?: number;
}

/** A text another process must check: Python to compile, TOML to parse. */
export interface ExternalItem {
  id: number;
  kind: 'python' | 'toml';
  name: string;
  text: string;
}

interface Rendered {
  path: string;
  templatePath: string;
  text?: string;
}

interface Failure {
  kind: FindingKind;
  templatePath: string;
  message: string;
  combo: number;
}

export interface CheckPlan {
  combos: Combination[];
  /** Per combination: output path -> the rendered file. */
  outputs: Map<string, Rendered>[];
  failures: Failure[];
  external: ExternalItem[];
  /** External item id -> the (combination, output) pairs that produced that exact text. */
  externalUses: Map<number, { combo: number; templatePath: string; path: string }[]>;
  findings: Finding[];
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: false });

function templateConditions(tpl: LoadedTemplate): Condition[] {
  const { spec } = tpl;
  return [
    ...spec.questions.flatMap((q) => (q.when ? [q.when] : [])),
    ...spec.files.conditional.map((c) => c.when),
  ];
}

function kindOf(path: string): 'python' | 'toml' | 'yaml' | 'json' | 'markdown' | undefined {
  if (path.endsWith('.py')) return 'python';
  if (path.endsWith('.toml')) return 'toml';
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (path.endsWith('.json')) return 'json';
  if (/\.(md|markdown)$/.test(path)) return 'markdown';
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

function parseInJs(kind: 'yaml' | 'json', text: string): string | undefined {
  if (kind === 'json') {
    try {
      JSON.parse(text);
      return undefined;
    } catch (e) {
      return `JSON: ${firstLine((e as Error).message)}`;
    }
  }
  for (const doc of parseAllDocuments(text, { prettyErrors: false })) {
    const err = doc.errors?.[0];
    if (err) return `YAML: ${firstLine(err.message)}`;
  }
  return undefined;
}

/** Renders every combination, and checks what can be checked here. */
export function planCheck(tpl: LoadedTemplate): CheckPlan {
  const { spec } = tpl;
  const combos = coveringSet(spec, templateConditions(tpl));
  const outputs: Map<string, Rendered>[] = [];
  const failures: Failure[] = [];
  const external: ExternalItem[] = [];
  const externalIds = new Map<string, number>();
  const externalUses = new Map<number, { combo: number; templatePath: string; path: string }[]>();
  const jsParsed = new Map<string, string | undefined>();
  const templatePaths = [...tpl.files.keys()].sort();
  combos.forEach((combo, ci) => {
    const out = new Map<string, Rendered>();
    outputs.push(out);
    const renderer = createRenderer(spec, combo.answers, {}, tpl.trees);
    const fail = (kind: FindingKind, templatePath: string, message: string) => failures.push({ kind, templatePath, message, combo: ci });
    for (const templatePath of templatePaths) {
      const rules = spec.files.conditional.filter((c) => matchesAny(templatePath, [c.path]));
      if (!rules.every((c) => evaluate(c.when, combo.answers))) continue;
      let outPath: string;
      try {
        outPath = toOutputPath(templatePath.includes('{{') ? renderer.render(templatePath, `path ${templatePath}`) : templatePath);
      } catch (e) {
        fail('path', templatePath, (e as Error).message);
        continue;
      }
      const why = unsafePathReason(outPath);
      if (why) {
        fail('path', templatePath, `its output path "${outPath}" ${why}`);
        continue;
      }
      const other = out.get(outPath);
      if (other) {
        fail('path', templatePath, `writes ${outPath}, as ${other.templatePath} does`);
        continue;
      }
      const raw = tpl.files.get(templatePath)!;
      if (isBinary(raw)) {
        out.set(outPath, { path: outPath, templatePath });
        continue;
      }
      let text = decoder.decode(raw);
      if (!matchesAny(templatePath, spec.files.verbatim) && text.includes('{{')) {
        try {
          text = renderer.render(text, templatePath);
        } catch (e) {
          fail('render', templatePath, (e as Error).message.replace(/^template file [^:]*: /, ''));
          continue;
        }
      }
      out.set(outPath, { path: outPath, templatePath, text });
      const kind = kindOf(outPath);
      if (kind === 'python' || kind === 'toml') {
        const k = `${kind}\0${text}`;
        let id = externalIds.get(k);
        if (id === undefined) {
          id = external.length;
          externalIds.set(k, id);
          external.push({ id, kind, name: outPath, text });
        }
        const uses = externalUses.get(id) ?? [];
        uses.push({ combo: ci, templatePath, path: outPath });
        externalUses.set(id, uses);
      } else if (kind === 'yaml' || kind === 'json') {
        const k = `${kind}\0${text}`;
        if (!jsParsed.has(k)) jsParsed.set(k, parseInJs(kind, text));
        const err = jsParsed.get(k);
        if (err) fail('parse', templatePath, `${outPath}: ${err}`);
      }
    }
    // Links are checked once every file of the combination is known.
    for (const f of out.values()) {
      if (kindOf(f.path) !== 'markdown' || f.text === undefined) continue;
      for (const target of markdownLinks(f.path, f.text)) {
        if (target.resolved === '.') continue;
        if (target.outside) fail('link', f.templatePath, `${f.path}: the link "${target.raw}" points outside the project`);
        else if (!out.has(target.resolved) && ![...out.keys()].some((p) => p.startsWith(`${target.resolved}/`))) {
          fail('link', f.templatePath, `${f.path}: the link "${target.raw}" names ${target.resolved}, which the project does not have`);
        }
      }
    }
  });
  const findings: Finding[] = [];
  const rendered = new Set(outputs.flatMap((o) => [...o.values()].map((r) => r.templatePath)));
  const failedPaths = new Set(failures.map((f) => f.templatePath));
  for (const p of templatePaths) {
    if (!rendered.has(p) && !failedPaths.has(p)) findings.push({ kind: 'unrendered', file: p, message: `no combination of answers renders it (its files.conditional rules never all hold)` });
  }
  for (const key of unusedQuestions(tpl)) findings.push({ kind: 'unused-question', file: key, message: `no file, path or condition uses the answer "${key}"` });
  return { combos, outputs, failures, external, externalUses, findings };
}

/** Questions whose key appears in no file, path, generator, file condition or other question's condition. */
export function unusedQuestions(tpl: LoadedTemplate): string[] {
  const used = new Set<string>();
  const scan = (text: string) => {
    for (const m of text.matchAll(/\{\{([^}]*)\}\}/g)) for (const id of m[1]!.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) used.add(id[0]);
  };
  for (const map of [tpl.files, tpl.generators ?? new Map<string, Uint8Array>()]) {
    for (const [p, data] of map) {
      scan(p);
      if (!isBinary(data)) scan(decoder.decode(data));
    }
  }
  const condKeys = (c: unknown): void => {
    if (c === null || typeof c !== 'object') return;
    for (const [k, v] of Object.entries(c)) {
      if (k === 'all' || k === 'any') (Array.isArray(v) ? v : []).forEach(condKeys);
      else used.add(k);
    }
  };
  for (const c of tpl.spec.files.conditional) condKeys(c.when);
  for (const q of tpl.spec.questions) {
    condKeys(q.when);
    for (const d of q.defaultFrom ?? []) condKeys(d.when);
  }
  // project_name names the package: templates use it through package_name.
  if (used.has('package_name')) used.add('project_name');
  return tpl.spec.questions.map((q) => q.key).filter((k) => !used.has(k));
}

/**
 * The answers a failure depends on: those every failing combination shares and some passing
 * combination (one that renders the file fine) does not. Empty: it fails whatever the answers.
 */
export function causingAnswers(failing: Answers[], passing: Answers[]): Record<string, Cause> {
  const first = failing[0];
  if (!first) return {};
  const same = (a: AnswerValue | undefined, b: AnswerValue | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  // What every failing combination has in common: equal answers, and values every list answer includes.
  const features: { key: string; cause: Cause; holds: (a: Answers) => boolean }[] = [];
  for (const k of [...new Set(failing.flatMap((a) => Object.keys(a)))].sort()) {
    if (failing.every((a) => same(a[k], first[k]))) features.push({ key: k, cause: first[k] ?? null, holds: (a) => same(a[k], first[k]) });
    else if (Array.isArray(first[k])) {
      for (const v of first[k] as string[]) {
        if (failing.every((a) => Array.isArray(a[k]) && (a[k] as string[]).includes(v))) {
          features.push({ key: k, cause: { includes: v }, holds: (a) => Array.isArray(a[k]) && (a[k] as string[]).includes(v) });
        }
      }
    }
  }
  // The fewest of them that no passing combination also has (greedy set cover): the answers
  // that tell a failing combination from a passing one.
  const out: Record<string, Cause> = {};
  const chosen = new Set<number>();
  let left = passing;
  while (left.length) {
    let best = -1;
    let bestLeft = left;
    features.forEach((f, i) => {
      if (chosen.has(i) || Object.hasOwn(out, f.key)) return;
      const still = left.filter(f.holds);
      if (still.length < bestLeft.length) {
        best = i;
        bestLeft = still;
      }
    });
    if (best < 0) return Object.fromEntries(Object.entries(first)); // nothing shared explains it: the first, in full
    chosen.add(best);
    out[features[best]!.key] = features[best]!.cause;
    left = bestLeft;
  }
  return out;
}

/** Folds the per-combination failures (and the external checker's errors) into findings. */
export function findings(plan: CheckPlan, externalErrors: ReadonlyMap<number, string>): Finding[] {
  const failures = [...plan.failures];
  for (const [id, error] of externalErrors) {
    for (const use of plan.externalUses.get(id) ?? []) failures.push({ kind: 'parse', templatePath: use.templatePath, message: `${use.path}: ${error}`, combo: use.combo });
  }
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    // Parse errors of one file are one finding (their wording varies with the answers); a link,
    // path or render problem is one finding per distinct message.
    const k = `${f.kind}\0${f.templatePath}\0${f.kind === 'parse' ? '' : f.message}`;
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  const out: Finding[] = [];
  for (const group of groups.values()) {
    const { kind, templatePath } = group[0]!;
    const failingIdx = new Set(group.map((f) => f.combo));
    const renderingIdx = plan.combos.map((_, i) => i).filter((i) => failingIdx.has(i) || [...plan.outputs[i]!.values()].some((r) => r.templatePath === templatePath));
    const passing = renderingIdx.filter((i) => !failingIdx.has(i)).map((i) => plan.combos[i]!.answers);
    const failing = [...failingIdx].map((i) => plan.combos[i]!.answers);
    out.push({ kind, file: templatePath, message: group[0]!.message, answers: causingAnswers(failing, passing), failing: failingIdx.size, rendering: renderingIdx.length });
  }
  return [...plan.findings, ...out].sort((a, b) => (a.kind === b.kind ? ((a.file ?? '') < (b.file ?? '') ? -1 : 1) : a.kind < b.kind ? -1 : 1));
}

/** Tags whose template.yaml says another version (`version` undefined: the tag has no readable one). */
export function tagFindings(tags: { tag: string; version?: string }[]): Finding[] {
  return tags.flatMap(({ tag, version }) => {
    const wanted = tag.replace(/^v/, '');
    if (version === wanted) return [];
    const message =
      version === undefined
        ? `tag ${tag}: its template.yaml has no readable version`
        : `tag ${tag}: its template.yaml says version ${version}; projects synced to this tag would record ${version} and look behind (or ahead) forever. Bump version before tagging.`;
    return [{ kind: 'tag' as const, file: tag, message }];
  });
}
