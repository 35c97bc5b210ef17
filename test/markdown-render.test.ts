import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { mdCell, mdInline, mdText } from '../src/core/template/formats.js';

// A real CommonMark renderer: what a reader of the generated Markdown sees, on GitHub or in an editor.
const commonmark = new MarkdownIt('commonmark');
const gfm = new MarkdownIt('default', { html: true, linkify: false });

/** The text a reader sees: the HTML without its tags, entities decoded. */
function seen(html: string): string {
  return html
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .trim();
}

const HOSTILE = [
  'Team <team@acme.example>',
  'R&D "Ops" <legacy>',
  '&copy; &amp; &#38; &#x26;',
  '*bold* **strong** _under_ __dunder__ a*b*c snake_case_name',
  '`code` ``double`` and a \\ backslash, C:\\legacy\\*.csv, \\* \\_ \\\\',
  '[link](http://x.example) ![img](y.png) [ref]',
  '~~strike~~ ~one~',
  '<script>alert(1)</script> <!-- c --> <?php ?> <https://auto.example>',
  'a | b | c',
  'ends with a backslash \\',
  'Billing #',
  '5 * 3 = 15 and 2 < 3 > 1',
];
const LINE_STARTS = ['# heading', '## two', '> quote', '- item', '+ item', '* item', '1. first', '2) second', '---', '===', '***', '___', '    indented code', '<div>html block</div>'];

describe('Markdown from answers, read through a CommonMark renderer', () => {
  it('prose renders as typed, also when a line would start a block', () => {
    for (const s of [...HOSTILE, ...LINE_STARTS, LINE_STARTS.join('\n')]) {
      const html = commonmark.render(`Intro paragraph.\n\n${mdText(s)}\n`);
      const expected = s.split('\n').map((l) => l.trim()).join('\n');
      expect(seen(html).replace(/^Intro paragraph\.\s*/, ''), s).toBe(expected);
      expect(html, s).not.toMatch(/<(?:em|strong|code|a|img|h\d|blockquote|ul|ol|hr|pre|script|div|del|s)\b/);
    }
  });

  it('a heading or list item renders as typed', () => {
    for (const s of [...HOSTILE, ...LINE_STARTS, ...LINE_STARTS.map((l) => `  ${l}`)]) {
      expect(seen(commonmark.render(`## ${mdInline(s)}\n`)), s).toBe(s.trim());
      expect(seen(commonmark.render(`- ${mdInline(s)}\n`)), s).toBe(s.trim());
    }
  });

  it('a table cell renders as typed and keeps the table whole (GitHub tables)', () => {
    for (const s of [...HOSTILE, ...LINE_STARTS, 'one\ntwo']) {
      const html = gfm.render(`| key | value |\n| --- | --- |\n| x | ${mdCell(s)} |\n`);
      const cells = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
      expect(cells, s).toHaveLength(2);
      expect(seen(cells[1]!), s).toBe(s.split('\n').map((l) => l.trim()).join('\n'));
    }
  });

  it('the source reads as typed where nothing would render differently', () => {
    for (const s of ['Team <team@acme.example>', 'R&D', 'snake_case', 'a < b', 'C:\\temp']) {
      expect(mdInline(s).replace(/\\(?=[<])/g, '')).toBe(s);
    }
    expect(mdInline('R&D')).toBe('R&D');
  });
});
