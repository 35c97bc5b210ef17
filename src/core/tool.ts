import { VERSION } from './version.js';

/**
 * The npm package this tool is published as. The unscoped `create-migration` on the registry is
 * someone else's: every line that runs the tool through npx names this package, pinned.
 */
export const PACKAGE_NAME = 'create-kailash-migration';

/** The manifest's `generator` field for a version of this tool. */
export function generatorField(version: string = VERSION): string {
  return `${PACKAGE_NAME}@${version}`;
}

// A version as npm publishes it (no build metadata, no ranges): the only thing ever pasted into a
// shell line of a generated file, so a manifest that says otherwise is not believed.
const EXACT_VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(-[0-9A-Za-z-]{1,40}(\.[0-9A-Za-z-]{1,40}){0,5})?$/;

/**
 * The tool version a manifest's `generator` records (`create-kailash-migration@1.2.3`, or the
 * older `create-migration@1.2.3`), or undefined when it records none this tool can trust.
 */
export function recordedToolVersion(generator: unknown): string | undefined {
  if (typeof generator !== 'string') return undefined;
  const m = /^(?:create-kailash-migration|create-migration)@(.+)$/.exec(generator);
  return m && EXACT_VERSION.test(m[1]!) ? m[1] : undefined;
}

/** What templates see as `tool`: the package, the exact version, and the npx line that runs it. */
export interface ToolContext {
  package: string;
  version: string;
  spec: string;
  npx: string;
}

export function toolContext(version: string = VERSION): ToolContext {
  const v = EXACT_VERSION.test(version) ? version : VERSION;
  const spec = `${PACKAGE_NAME}@${v}`;
  return { package: PACKAGE_NAME, version: v, spec, npx: `npx --yes ${spec}` };
}
