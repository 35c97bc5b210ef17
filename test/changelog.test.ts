import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTemplateSpec } from '../src/core/template/spec.js';

const BASE = `name: t
version: 1.1.0
questions: []
`;

describe('template.yaml changelog', () => {
  it('reads release notes by version', () => {
    const spec = parseTemplateSpec(`${BASE}changelog:\n  "1.1.0": |\n    - **New** page\n  1.0.0: First.\n`);
    expect(spec.changelog).toEqual({ '1.1.0': '- **New** page\n', '1.0.0': 'First.' });
  });

  it('refuses a version that is not semver, naming it', () => {
    expect(() => parseTemplateSpec(`${BASE}changelog:\n  "1.1": notes\n`)).toThrow(/changelog\.1\.1: "1\.1" is not a semantic version/);
    // Unquoted, YAML reads 1.1 as a number: the message says to quote it.
    expect(() => parseTemplateSpec(`${BASE}changelog:\n  1.1: notes\n`)).toThrow(/quote it/);
  });

  it('refuses notes that are not text, and a changelog that is not a mapping', () => {
    expect(() => parseTemplateSpec(`${BASE}changelog:\n  "1.0.0": [a, b]\n`)).toThrow(/changelog\.1\.0\.0: must be Markdown text/);
    expect(() => parseTemplateSpec(`${BASE}changelog: [a]\n`)).toThrow(/changelog: must be a mapping/);
    expect(() => parseTemplateSpec(`${BASE}changelog:\n  __proto__: x\n`)).toThrow(/not allowed/);
  });

  it('the built-in template has notes for its own version', () => {
    const spec = parseTemplateSpec(readFileSync(new URL('../templates/kailash-migration/template.yaml', import.meta.url), 'utf8'));
    expect(spec.changelog?.[spec.version]).toMatch(/\S/);
  });
});
