// Unit tests render hand-made templates that no loader has prepared: load the parser up front.
import { loadParser } from '../src/core/template/parse.js';

await loadParser();
