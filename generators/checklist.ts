import type { Generator, GeneratorResult } from '../src/flows/types.js';
import { runAdd, type AddOptions, type AddSpec } from '../src/flows/add.js';
import { moduleName, question, titleOf } from '../src/core/names.js';

export const checklistSpec: AddSpec = {
  name: 'checklist',
  description: 'A new checklist under docs/checklists/ that `status` counts',
  questions: [
    question('name', 'text', 'Checklist name (file name, like security-review)'),
    question('title', 'text', 'Title', { required: false, default: '' }),
  ],
  folder: () => 'checklist',
  derive(a) {
    const file = moduleName('name', a.name).replace(/_/g, '-');
    const title = typeof a.title === 'string' && a.title.trim() ? a.title : titleOf(file);
    return { checklist_name: file, checklist_title: title };
  },
};

export const checklistGenerator: Generator<AddOptions> = {
  name: 'checklist',
  description: checklistSpec.description,
  run: (opts, ctx): Promise<GeneratorResult> => runAdd(checklistSpec, opts, ctx),
};
