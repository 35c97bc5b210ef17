import { fileURLToPath } from 'node:url';

/** The template this package ships; the path works from src/ and from the bundled dist/ alike. */
export const BUILTIN_TEMPLATE_DIR = fileURLToPath(new URL('../templates/kailash-migration/', import.meta.url));
export const BUILTIN_SOURCE = 'builtin';
