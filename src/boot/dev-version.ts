/**
 * Unbuilt sources (plop through tsx, vitest) have no version baked in by the build: take
 * package.json's, so that what they render pins the same version the built CLI does. Import it
 * first, before anything that reads core/version.ts.
 */
import { readFileSync } from 'node:fs';

const g = globalThis as { __CM_VERSION__?: string };
g.__CM_VERSION__ ??= JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;
