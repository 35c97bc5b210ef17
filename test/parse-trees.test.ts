import { describe, expect, it } from 'vitest';
import { ParseTrees, parseSimple } from '../src/core/template/parse.js';
import { createRenderer } from '../src/core/template/render.js';
import type { TemplateSpec } from '../src/core/template/types.js';

const spec = { name: 't', version: '1.0.0', questions: [{ key: 'name', type: 'text' }], files: { conditional: [], verbatim: [], projectOwned: [], renames: [] } } as unknown as TemplateSpec;

describe('parse trees added deferred (a packed template\'s texts)', () => {
  it('are found by a lookup that misses, by has, and made once', () => {
    const trees = new ParseTrees();
    let made = 0;
    const source = 'Hello {{name}}, {{#if x}}never parsed by the small parser{{/if}}';
    trees.addDeferred(source, () => {
      made++;
      return parseSimple('Hello {{name}}')!;
    });
    expect(trees.has(source)).toBe(true);
    // No parser is loaded: only the deferred tree can answer.
    expect(createRenderer(spec, { name: 'Ada' }, {}, trees).render(source, 'f')).toBe('Hello Ada');
    createRenderer(spec, { name: 'Bo' }, {}, trees).render(source, 'f');
    expect(made).toBe(1);
  });

  it('keep the tree already known for the same text', () => {
    const trees = new ParseTrees();
    trees.add('{{name}}', parseSimple('{{name}}')!);
    trees.addDeferred('{{name}}', () => parseSimple('other')!);
    trees.addDeferred('x {{name}}', () => parseSimple('x {{name}}')!);
    expect(trees.has('x {{name}}')).toBe(true);
    expect(createRenderer(spec, { name: 'Ada' }, {}, trees).render('{{name}}', 'f')).toBe('Ada');
  });

  it('a renderer given a file\'s tree renders it without the store, and parses the text when that tree does not unpack', () => {
    const trees = new ParseTrees();
    const r = createRenderer(spec, { name: 'Ada' }, {}, trees);
    expect(r.render('{{name}}!', 'f', () => parseSimple('{{name}}!')!)).toBe('Ada!');
    expect(trees.has('{{name}}!')).toBe(false);
    expect(
      r.render('{{name}}?', 'f', () => {
        throw new Error('damaged');
      }),
    ).toBe('Ada?');
  });
});
