/**
 * Registers create-migration's generators with plop, so `npm run plop` (plop's own CLI and
 * prompts) runs the very generators the create-migration CLI runs.
 */
import './src/boot/dev-version.js';
import type { NodePlopAPI } from 'node-plop';
import { checkAnswer } from './src/core/answers/validate.js';
import { evaluate } from './src/core/template/conditions.js';
import type { Answers, Question } from './src/core/template/types.js';
import { addGenerators, projectGenerator, projectQuestions } from './generators/index.js';

type InquirerQuestion = Record<string, unknown>;

/** A template question as an inquirer question, with the same validation and conditions. */
export function toInquirer(q: Question): InquirerQuestion {
  const choices = q.choices?.map((c) => ({ name: c.label, value: c.value }));
  const validate = (v: unknown) => {
    const r = checkAnswer(q, v);
    return r.ok ? true : `${q.key} ${r.error}`;
  };
  return {
    name: q.key,
    message: q.message,
    type: q.type === 'choice' ? 'list' : q.type === 'multi' ? 'checkbox' : 'input',
    default: q.default ?? undefined,
    choices,
    validate,
    // Only conditional questions get a `when`: plop cannot bypass a prompt that has one.
    ...(q.when ? { when: (answers: Answers) => evaluate(q.when, answers) } : {}),
  };
}

export default function plopfile(plop: NodePlopAPI): void {
  plop.setGenerator(projectGenerator.name, {
    description: projectGenerator.description,
    prompts: projectQuestions().map(toInquirer) as never,
    actions: [
      async (answers) => {
        const result = await projectGenerator.run(
          { dir: String(answers?.project_name ?? 'legacy-migration'), answers: answers ?? {}, yes: true },
          { cwd: plop.getDestBasePath() },
        );
        return `${result.changes.length} files in ${result.dir}`;
      },
    ],
  });
  // `add` generators work inside an existing project: plop's destination folder.
  for (const [name, { spec, generator }] of Object.entries(addGenerators)) {
    plop.setGenerator(name, {
      description: spec.description,
      prompts: spec.questions.map(toInquirer) as never,
      actions: [
        async (answers) => {
          const result = await generator.run({ project: plop.getDestBasePath(), answers: answers ?? {}, yes: true }, { cwd: plop.getDestBasePath() });
          return result.changes.map((c) => c.path).join(', ');
        },
      ],
    });
  }
}
