// dist/prompts.js: the terminal prompts, bundled apart from the rest because only an interactive
// run needs them (see scripts/build.mjs).
export { checkbox, input, select } from '@inquirer/prompts';
