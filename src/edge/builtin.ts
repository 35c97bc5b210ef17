import { fileURLToPath } from 'node:url';

// The package root is two folders up from this source file (src/edge/), one up from a bundle in dist/.
const inSrc = import.meta.url.lastIndexOf('/src/edge/');
const up = inSrc >= 0 && !import.meta.url.includes('/', inSrc + '/src/edge/'.length) ? '../../' : '../';
/** The template this package ships; the path works from src/ and from the bundled dist/ alike. */
export const BUILTIN_TEMPLATE_DIR = fileURLToPath(new URL(`${up}templates/kailash-migration/`, import.meta.url));
export const BUILTIN_SOURCE = 'builtin';
