/** Answers that have broken generators before: every format must carry them intact. */
export const HOSTILE_STRINGS = [
  'R&D "Ops" <legacy> \\ {{x}}',
  "it's a 'quoted' \"\"\"docstring\"\"\" breaker",
  'back\\slash at end\\',
  '{{#each this}}{{/each}} {{{raw}}} {{> partial}}',
  'ünïcödé — 中文 — עברית‏ RTL — emoji 🚀👩‍💻',
  'tab\there',
  'line one\nline two\r\nline three',
  '#: not a comment: [yaml] {flow} & *alias !tag %directive @at `tick`',
  'null',
  'true',
  '0x1F',
  '- dash start',
  '',
];
