/**
 * What a CommonMark renderer (GitHub's) shows for Markdown text, as far as the template's escaping
 * goes: backslash escapes of ASCII punctuation and the entities &amp; &lt; &gt; &quot;. Lets a test
 * check that an answer renders as typed without depending on how it was escaped.
 */
export const asRendered = (md: string) =>
  md.replace(/\\([!-/:-@[-`{-~])|&(amp|lt|gt|quot);/g, (_m, ch: string | undefined, ent: string | undefined) =>
    ch ?? ({ amp: '&', lt: '<', gt: '>', quot: '"' } as Record<string, string>)[ent!]!,
  );

/** An answer as Markdown on one line shows it: runs of whitespace around line breaks become one space. */
export const oneLine = (v: unknown) => String(v).replace(/\s*\r?\n\s*/g, ' ');
