import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { resolveAnswers } from '../src/core/answers/resolve.js';
import { BUILTIN_TEMPLATE_DIR } from '../src/edge/builtin.js';
import { loadTemplateDir } from '../src/edge/template-dir.js';
import { packProgram, unpackProgram } from '../src/core/template/compact.js';
import { Interpreter } from '../src/core/template/interpret.js';
import { createRenderer, helpersFor } from '../src/core/template/render.js';
import { parseTemplateSpec } from '../src/core/template/spec.js';
import type { Answers } from '../src/core/template/types.js';
import { HOSTILE_STRINGS } from './fixtures.js';

// The built-in template ships its parse trees packed (dist/builtin.pack): a packed tree must
// render exactly what the tree Handlebars parsed renders, and fail the same way.

const hb = Handlebars.create();
const roundTrip = (source: string) => unpackProgram(JSON.parse(JSON.stringify(packProgram(hb.parse(source), source))), source);

describe('packed parse trees', () => {
  const spec = parseTemplateSpec('name: t\nversion: 1.0.0\nquestions:\n  - { key: items, type: multi, choices: [a, b, c] }\n  - { key: name, type: text }\n  - { key: n, type: number }\n');
  const ctx = { items: ['a', 'b', 'c'], name: 'R&D "Ops"', n: 0, nested: { list: [{ v: 1 }, { v: 2 }], 'odd key': 'k' }, empty: [] };
  it.each([
    'plain {{name}} text, twice {{name}}',
    '{{#if name}}yes{{else}}no{{/if}}{{#unless empty}}-{{/unless}}',
    '{{#if n}}x{{else if name}}else-if{{else}}z{{/if}}',
    '{{#each items}}{{@index}}:{{this}}{{#if @last}}(last){{/if}},{{/each}}',
    '{{#each nested.list}}{{v}}/{{../name}}/{{@root.name}};{{/each}}{{#each empty}}x{{else}}none{{/each}}',
    '{{#with nested}}{{[odd key]}}{{/with}}',
    'a\n  {{#if name}}\n  standalone\n  {{/if}}\nb\n  {{~name~}}  \n x',
    '{{!-- a comment --}}{{! another }}done \\{{escaped}} {{name}}',
    '{{join items " / "}} {{includes items "b"}} {{eq n 0}} {{eq n 1.5}} {{not empty}} {{eq name null}} {{eq name undefined}} {{eq true false}}',
    '{{#if (and name (includes items "c"))}}both{{/if}} {{join items sep=", "}}',
    'src/{{name}}/{{#if n}}x{{/if}}.py',
    '',
  ])('%j', (source) => {
    const r = createRenderer(spec, ctx as unknown as Answers, ctx);
    const interp = new Interpreter(helpersFor(spec));
    const direct = (() => {
      try {
        return interp.render(hb.parse(source), r.context);
      } catch (e) {
        return `error: ${(e as Error).message}`;
      }
    })();
    const packed = (() => {
      try {
        return interp.render(roundTrip(source), r.context);
      } catch (e) {
        return `error: ${(e as Error).message.replace(/ \(line \d+, column \d+\)/, '')}`;
      }
    })();
    expect(packed).toBe(direct.replace(/ \(line \d+, column \d+\)/, ''));
  });

  it('a missing name still fails, naming the path as written', () => {
    const interp = new Interpreter({});
    expect(() => interp.render(roundTrip('{{#each list}}{{../missing.deep}}{{/each}}'), { list: [1] })).toThrow('"../missing.deep" is not defined');
    expect(() => interp.render(roundTrip('{{@nope}}'), {})).toThrow('"@nope" is not defined');
  });

  it('render every file and path of the built-in template as their parsed trees do, for several answer sets', async () => {
    const template = await loadTemplateDir(BUILTIN_TEMPLATE_DIR);
    const sets = [
      {},
      { patterns: ['etl', 'api', 'reporting'], data_sources: ['csv', 'database', 'rest_api', 'sftp', 'queue', 'spreadsheet'], database_kind: 'oracle', llm_provider: 'anthropic', compliance: ['gdpr', 'hipaa'], ci: 'gitlab' },
      { system_name: HOSTILE_STRINGS[0], owner: HOSTILE_STRINGS[4], description: HOSTILE_STRINGS[6], legacy_stack: ['static_reports'], patterns: ['reporting'], ci: 'none' },
    ];
    const interp = new Interpreter(helpersFor(template.spec));
    let compared = 0;
    for (const provided of sets) {
      const answers = await resolveAnswers(template.spec, { provided, dirName: 'packed-test', useDefaults: true });
      const { context } = createRenderer(template.spec, answers);
      for (const map of [template.files, template.generators ?? new Map()]) {
        for (const [file, data] of map) {
          const source = new TextDecoder().decode(data);
          for (const text of [file, source]) {
            if (!text.includes('{{')) continue;
            // What the add generators put in the context besides the answers.
            const extra = {
              ...context,
              workflow_name: 'nightly_sync',
              workflow_title: 'Nightly "sync"',
              workflow_sources: ['csv', 'queue'],
              workflow_delivery: 'sftp',
              workflow_schedule: '*/15 6-18 * * MON-FRI',
              workflow_time_zone: 'Europe/Berlin',
              node_class: 'AddedNode',
              node_module: 'added_node',
              node_title: 'Added node',
              checklist_title: 'Go-live',
              checklist_name: 'go_live',
              job_id: 'nightly-sync',
              legacy_from: 'crontab:3 (cron): 0 2 * * * /opt/sync.sh; script bin/sync.sh',
            };
            const expected = interp.render(hb.parse(text), extra);
            expect(interp.render(roundTrip(text), extra), file).toBe(expected);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
