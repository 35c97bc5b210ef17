import type { ParseTrees } from './parse.js';
import type { Migration } from './migrations.js';
import type { FileDeps } from './deps.js';

/** The shapes a template.yaml describes, after validation. */

export type QuestionType = 'slug' | 'text' | 'multi' | 'choice' | 'number' | 'date';

export type AnswerValue = string | number | string[] | null;
export type Answers = Record<string, AnswerValue>;

/**
 * A condition on answers, written as data:
 * `{ key: value }` (equals, or includes for a multi answer), `{ key: { any: [..] } }`,
 * `{ key: { not: value } }`, and `{ all: [..] }` / `{ any: [..] }` to combine.
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { [key: string]: ConditionValue };
export type ConditionValue = string | number | { any: (string | number)[] } | { not: string | number };

export interface Choice {
  value: string;
  label: string;
}

export interface Question {
  key: string;
  type: QuestionType;
  message: string;
  default?: AnswerValue;
  /**
   * A default computed when asked (data, never code): `default: {today_plus_months: 6}` is the
   * last day of the month six months from today, for a date question.
   */
  defaultComputed?: { todayPlusMonths: number };
  /** For multi questions: values added by the first rules whose condition holds. */
  defaultFrom?: { when: Condition; add: string[] }[];
  when?: Condition;
  choices?: Choice[];
  required: boolean;
  multiline: boolean;
  min?: number;
  max?: number;
  integer: boolean;
}

export interface RenameRule {
  from: string;
  to: string;
}

export interface FileRules {
  conditional: { path: string; when: Condition }[];
  verbatim: string[];
  projectOwned: string[];
  renames: RenameRule[];
}

export interface TemplateSpec {
  name: string;
  version: string;
  description: string;
  questions: Question[];
  files: FileRules;
  /** Release notes (Markdown) by version, as `changelog:` gives them. */
  changelog?: Record<string, string>;
  /** Migrations between versions (`migrations:`), oldest first. */
  migrations?: Migration[];
}

/** A template as data: its spec and its files/ tree (paths relative to files/, '/'-separated). */
export interface LoadedTemplate {
  spec: TemplateSpec;
  files: Map<string, Uint8Array>;
  /** The `add` generators' file trees (paths relative to generators/, first segment = generator). */
  generators?: Map<string, Uint8Array>;
  /**
   * Paths under files/ that the template ships executable (mode 100755 in git, an execute bit
   * on disk): the project gets them executable too. Absent or empty: none.
   */
  executable?: ReadonlySet<string>;
  /**
   * For each files/ text that renders (holds `{{`), the digest of its bytes and the root names
   * it and its path template read (./deps.ts), where the loader worked them out ahead (a packed
   * template carries them): a sync's render key needs neither its text decoded nor its tree.
   */
  deps?: ReadonlyMap<string, FileDeps>;
  /**
   * The same for each files/ file copied as it is (binary, or text without `{{`): the digest
   * of its bytes and the root names its path template reads, so that a sync's key for the copy
   * needs its bytes no more than a render's does.
   */
  copies?: ReadonlyMap<string, FileDeps>;
  /** The parse trees of its texts (set by the loader); without them only plain substitutions render. */
  trees?: ParseTrees;
  /**
   * Which file rules each files/ path matches, worked out ahead by a loader (a packed template
   * carries them): the render uses them only while the spec's rules are these very globs.
   */
  matches?: {
    conditional: readonly string[];
    verbatim: readonly string[];
    files: ReadonlyMap<string, { rules: number[]; verbatim: boolean }>;
  };
}
