/**
 * What dist/generate.js does not carry was reached (see scripts/build.mjs, which makes the
 * modules of generate --assess throw this when they are loaded). It is thrown before anything is
 * printed or written, so dist/generate.js can hand the same arguments to dist/main.js, which
 * answers them.
 */
export class NotInThisBundle extends Error {
  constructor() {
    super('this command is answered by dist/main.js');
  }
}
