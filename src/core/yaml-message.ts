/**
 * A YAML parse error in one line. The yaml package's message ends in "at line L, column C:" and
 * puts the offending source line and a caret below it; the first line alone would end in a
 * dangling colon, so the source line is quoted after it (escaped, shortened: the file may be
 * anyone's).
 */
export function yamlProblem(error: Error): string {
  const [head = '', ...rest] = error.message.split('\n');
  const said = head.replace(/:\s*$/, '');
  const source = rest.find((l) => l.trim() !== '' && !/^\s*\^+\s*$/.test(l))?.trim();
  if (!source) return said;
  const shown = source.length > 80 ? `${source.slice(0, 77)}...` : source;
  return `${said}: ${JSON.stringify(shown)}`;
}
