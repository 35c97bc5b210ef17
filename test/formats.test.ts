import { describe, expect, it } from 'vitest';
import { encode, mdCell, mdInline, pyComment, pyString, tomlString, yamlString } from '../src/core/template/formats.js';
import { HOSTILE_STRINGS } from './fixtures.js';
import { pythonLiteralEval, pythonRun } from './helpers/python.js';

const EXTRA = ['nul\u0000byte', 'c1\u0085\u0080control', 'ls\u2028ps\u2029', 'bom\ufeff', 'del\u007f', 'x'.repeat(100_000)];
const ALL = [...HOSTILE_STRINGS, ...EXTRA];

describe('format encoders round-trip every hostile string', () => {
  it('Python string literals evaluate back to the answer', () => {
    expect(pythonLiteralEval(ALL.map(pyString))).toEqual(ALL);
  });

  it('Python list literals of answers evaluate back', () => {
    expect(pythonLiteralEval([encode(ALL, 'py')])).toEqual([ALL]);
  });

  it('YAML double-quoted scalars load back with PyYAML', () => {
    const doc = ALL.map((s, i) => `k${i}: ${yamlString(s)}`).join('\n');
    const out = JSON.parse(pythonRun('import yaml,sys,json; print(json.dumps(yaml.safe_load(sys.stdin.read())))', doc));
    expect(ALL.map((_, i) => out[`k${i}`])).toEqual(ALL);
  });

  it('TOML basic strings load back with tomllib', () => {
    const doc = ALL.map((s, i) => `k${i} = ${tomlString(s)}`).join('\n');
    const out = JSON.parse(pythonRun('import tomllib,sys,json; print(json.dumps(tomllib.loads(sys.stdin.read())))', doc));
    expect(ALL.map((_, i) => out[`k${i}`])).toEqual(ALL);
  });

  it('a Python comment stays one line and a docstring never closes early', () => {
    for (const s of ALL) {
      const c = pyComment(s);
      expect(c).not.toMatch(/[\n\r]/);
      expect(c).not.toContain('"""');
    }
    const src = ALL.map((s, i) => `def f${i}():\n    """${pyComment(s)}"""\n    # ${pyComment(s)}\n    return ${i}\n`).join('\n');
    expect(pythonRun('import sys, ast; ast.parse(sys.stdin.read()); print("ok")', src).trim()).toBe('ok');
  });

  it('Markdown keeps text verbatim, escaping only what ends a table cell or a line', () => {
    expect(mdCell('a | b')).toBe('a \\| b');
    expect(mdCell('R&D "Ops" <legacy>')).toBe('R&D "Ops" <legacy>');
    expect(mdInline('one\n two')).toBe('one two');
  });
});
