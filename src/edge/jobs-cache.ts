/**
 * The validated inventory of a jobs.yaml, kept in the user's cache folder under the SHA-256 of
 * the file's bytes (and this package's version): `status`, `jobs` and `fleet` read it without
 * starting the YAML parser when the file has not changed since any earlier read. The key is the
 * content itself, so an entry can only ever answer for the very bytes it was made from; it is
 * used only when it and its folder are this user's alone and its checksum line holds (as the
 * template cache, ./template-cache.ts). A move (`job --to`) reads it too: where its text edit
 * applies (core/jobs/move-text.ts, checked against this inventory), it needs no document.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { JobsFile } from '../core/jobs/schema.js';
import { VERSION } from '../core/version.js';
import { readSealed, writeSealed } from './sealed-index.js';
import { templateCacheDir } from './template-cache.js';

const FORMAT = 1;

export function jobsCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const templates = templateCacheDir(env);
  return templates && path.join(path.dirname(templates), 'jobs');
}

const keyOf = (data: Uint8Array) => createHash('sha256').update(`${FORMAT}\0${VERSION}\0`).update(data).digest('hex');

/** Only strings, finite numbers, booleans, null, lists and plain maps (a field may be undefined): what JSON gives back as it was. */
function plainData(v: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every((x) => plainData(x, depth + 1));
  if (typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
  // An absent optional field (undefined) is absent after JSON too.
  return Object.values(v as object).every((x) => x === undefined || plainData(x, depth + 1));
}

/** The inventory of these jobs.yaml bytes: from the cache, else parsed (by `parse`, which throws on bad input) and stored. */
export function cachedInventory(data: Uint8Array, parse: () => JobsFile, dir = jobsCacheDir()): JobsFile {
  return lookupInventory(data, dir) ?? storeInventory(data, parse(), dir);
}

/** The cached inventory of these jobs.yaml bytes, or undefined when the cache has none to trust. */
export function lookupInventory(data: Uint8Array, dir = jobsCacheDir()): JobsFile | undefined {
  if (!dir) return undefined;
  const key = keyOf(data);
  const entry = readSealed(dir, path.join(dir, `${key}.json`)) as { key?: unknown; inventory?: JobsFile } | undefined;
  return entry?.key === key ? entry.inventory : undefined;
}

/** Stores the inventory validated from these bytes (a failure only costs the next read a parse); returns it. */
export function storeInventory(data: Uint8Array, inventory: JobsFile, dir = jobsCacheDir()): JobsFile {
  if (!dir || !plainData(inventory)) return inventory;
  const key = keyOf(data);
  writeSealed(dir, path.join(dir, `${key}.json`), { key, inventory }, false);
  return inventory;
}
