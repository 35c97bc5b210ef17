/**
 * A command this bundle does not carry was reached (dist/generate.js carries only generate: see
 * scripts/build.mjs, which makes every other command's module throw this when it is loaded). It
 * is thrown after the arguments are parsed and before anything is printed or written, so the
 * launcher can run the same arguments with dist/main.js, which answers them.
 */
export class NotInThisBundle extends Error {
  constructor() {
    super('this command is answered by dist/main.js');
  }
}
