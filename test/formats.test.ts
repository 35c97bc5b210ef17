import { describe, expect, it } from 'vitest';
import { dnsName, encode, lineComment, mdCell, mdInline, mdText, pyComment, pyString, tomlString, yamlString } from '../src/core/template/formats.js';
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

  it('Markdown escapes with backslashes, and only where the rendering would change', () => {
    expect(mdCell('a | b')).toBe('a \\| b');
    expect(mdInline('Team <team@acme.example>')).toBe('Team \\<team@acme.example>');
    expect(mdInline('R&D "Ops" a < b & c > d')).toBe('R&D "Ops" a < b & c > d');
    expect(mdInline('&copy; &#38;')).toBe('\\&copy; \\&#38;');
    expect(mdInline('<script>x</script>')).toBe('\\<script>x\\</script>');
    expect(mdInline('snake_case C:\\temp 5 * 3')).toBe('snake_case C:\\temp 5 * 3');
    expect(mdInline('C:\\legacy\\*.csv _tmp_ `x` [y] ~z~')).toBe('C:\\legacy\\\\\\*.csv \\_tmp\\_ \\`x\\` \\[y\\] \\~z\\~');
    expect(mdText('# not a heading\n  # nor this\nplain # here')).toBe('\\# not a heading\n\\# nor this\nplain # here');
    expect(mdText('- not a list\n1. nor this\n---\n> nor a quote')).toBe('\\- not a list\n1\\. nor this\n\\---\n\\> nor a quote');
    expect(mdInline('one\n two')).toBe('one two');
    expect(mdCell('one\ntwo <b>')).toBe('one<br>two \\<b>');
  });

  it('comments of YAML, .env and Dockerfiles show an answer as typed, on one line', () => {
    expect(lineComment('R&D \\ "Ops" <x>')).toBe('R&D \\ "Ops" <x>');
    const doc = ALL.map((s) => `# ${lineComment(s)}\nk: 1`).join('\n');
    expect(JSON.parse(pythonRun('import yaml,sys,json; print(json.dumps(yaml.safe_load(sys.stdin.read())))', doc))).toEqual({ k: 1 });
  });

  it('Kubernetes names are DNS labels of at most 52 characters', () => {
    expect(dnsName('billing-etl', 'etl_pipeline')).toBe('billing-etl-etl-pipeline');
    expect(dnsName('a'.repeat(60), 'x')).toMatch(/^a{43}-[0-9a-f]{8}$/);
    expect(dnsName('x', '')).toBe('x');
    for (const s of ALL) expect(dnsName(s, 'etl')).toMatch(/^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/);
  });
});
