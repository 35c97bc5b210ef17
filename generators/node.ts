import type { Generator, GeneratorResult } from '../src/flows/types.js';
import { runAdd, type AddOptions, type AddSpec } from '../src/flows/add.js';
import { className, question, snakeOf } from '../src/core/names.js';

export const nodeSpec: AddSpec = {
  name: 'node',
  description: 'A custom Kailash node stub and its pytest test',
  questions: [question('name', 'text', 'Node class name (PascalCase, like CobolFileReader)')],
  folder: () => 'node',
  derive(a) {
    const base = className('name', a.name).replace(/Node$/, '') || 'Custom';
    return { node_class: `${base}Node`, node_module: snakeOf(base), node_title: base.replace(/([a-z0-9])([A-Z])/g, '$1 $2') };
  },
  register: (x) => ({
    file: 'docs/kailash-mapping.md',
    marker: 'custom-nodes',
    heading: '## Custom node requirements',
    tableHeader: ['| Node | File | Why no built-in node fits | Status |', '|---|---|---|---|'],
    row: `| \`${String(x.node_class)}\` | \`src/${String(x.package_name)}/nodes/${String(x.node_module)}.py\` | _TODO_ | Stub, tested (\`tests/test_${String(x.node_module)}_node.py\`) |`,
  }),
};

export const nodeGenerator: Generator<AddOptions> = {
  name: 'node',
  description: nodeSpec.description,
  run: (opts, ctx): Promise<GeneratorResult> => runAdd(nodeSpec, opts, ctx),
};
