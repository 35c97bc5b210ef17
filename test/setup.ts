// Sources run unbuilt here: they pin package.json's version, as the built CLI does.
import '../src/boot/dev-version.js';
// Unit tests render hand-made templates that no loader has prepared: load the parser up front.
import { loadParser } from '../src/edge/parse-trees.js';

await loadParser();

// The CLI caches parsed git templates under the user's cache folder: tests keep theirs private.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.XDG_CACHE_HOME ??= mkdtempSync(path.join(tmpdir(), 'cm-test-cache-'));
