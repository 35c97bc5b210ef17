import type { Command } from 'commander';
import { completionScript, SHELLS, type Shell } from './completion.js';
import { InputError } from '../core/errors.js';
import { boundary } from './boundary.js';
import { namingFlags, setFlag, type FlagNaming } from './flag-naming.js';
import type { GenerateFlags } from './commands/generate.js';
import type { FleetFlags } from './commands/fleet.js';
import { rootCommand } from './root-command.js';
import { jobCommands } from './jobs-program.js';
import { syncCommands } from './sync-program.js';
import { firstBareArgument, nearCommand } from '../core/typo.js';

const collect = (v: string, acc: string[]) => [...acc, v];

const ADD_FLAGS: Record<string, [string, string]> = {
  name: ['<name>', '<name> (after the generator)'],
  pattern: ['--pattern', '--pattern <pattern>'],
  sources: ['--source', '--source <source>'],
  title: ['--title', '--title <title>'],
  schedule: ['--schedule', '--schedule <cron>'],
  time_zone: ['--time-zone', '--time-zone <zone>'],
  delivery_target: ['--delivery-target', '--delivery-target <target>'],
};
const addFlag: FlagNaming = { label: (k) => ADD_FLAGS[k]?.[0] ?? k, usage: (k) => ADD_FLAGS[k]?.[1] ?? setFlag.usage(k) };

/** Every help page ends with examples (as the GitHub CLI's do): what to type, first. */
const EXAMPLES: Record<string, string[]> = {
  '': [
    'create-migration ../billing-migration        # asks the questions, shows the answers, then writes',
    'create-migration ../billing-migration --yes --set owner="Billing team" --set data_sources=csv,database',
    'create-migration ../billing-migration --answers answers.yaml --dry-run',
    'create-migration ../billing-migration --assess /srv/legacy/billing',
  ],
  status: ['create-migration status', 'create-migration status ../billing-migration --json', 'create-migration status --write --html progress.html'],
  add: ['create-migration add workflow nightly_load --pattern etl --source csv', 'create-migration add node SftpDropReader', 'create-migration add checklist security-review --title "Security review"', 'create-migration add workflow --help   # the flags of one generator'],
  adopt: ['create-migration adopt --dry-run             # compare the repository with the template', 'create-migration adopt --answers answers.yaml --add-missing'],
  assess: ['create-migration assess /srv/legacy/billing', 'create-migration assess /srv/legacy/billing --answers-out answers.yaml', 'create-migration assess /srv/legacy/billing --project ../billing-migration --write --workflows'],
  fleet: ['create-migration fleet ../billing-migration ../orders-migration', 'create-migration fleet --repos repos.txt --html fleet.html', 'create-migration fleet --repos repos.txt --json'],
  template: ['create-migration template check ./my-template'],
  'template check': ['create-migration template check ./my-template', 'create-migration template check --json'],
  completion: ['create-migration completion bash >> ~/.bashrc', 'create-migration completion zsh > "${fpath[1]}/_create-migration"', 'create-migration completion fish > ~/.config/fish/completions/create-migration.fish'],
};

function withExamples(cmd: Command, key: string): void {
  const lines = EXAMPLES[key];
  if (lines) cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
  for (const sub of cmd.commands) withExamples(sub, key ? `${key} ${sub.name()}` : sub.name());
}

const ADD_COMMON: [string, string][] = [
  ['--project <dir>', 'the project (default: .)'],
  ['--answers <file>', 'answers as JSON or YAML'],
  ['--set <key=value>', 'one answer (repeatable)'],
  ['-y, --yes', 'take defaults for everything not given; never prompt'],
  ['--dry-run', 'print every file it would write; write nothing'],
  ['--json', 'print one JSON object on stdout'],
  ['-h, --help', 'display help for command'],
];

/** `add <generator> --help`: each generator's own page, with only the flags it takes. */
const ADD_PAGES: Record<string, { what: string; name: string; flags: [string, string][]; examples: string[] }> = {
  workflow: {
    what: 'Add a workflow module, its test and its Kubernetes CronJob to the project.',
    name: 'the module name (snake_case, e.g. nightly_load)',
    flags: [
      ['--pattern <pattern>', 'etl | api | reporting'],
      ['--source <source>', 'a data source it reads (repeatable): csv, database, rest_api, sftp, queue, spreadsheet, other'],
      ['--schedule <cron>', 'when its CronJob runs (cron expression; default 0 2 * * *)'],
      ['--time-zone <zone>', "the time zone of --schedule (IANA name; default: the cluster's)"],
      ['--delivery-target <target>', "where an api workflow delivers: api | sftp (default: the project's delivery_target)"],
    ],
    examples: [
      'create-migration add workflow nightly_load --pattern etl --source csv --source database',
      'create-migration add workflow month_end --pattern reporting --schedule "0 6 1 * *" --time-zone Europe/Berlin',
    ],
  },
  node: {
    what: 'Add a custom Kailash node class and its test to the project.',
    name: 'the class name (PascalCase, e.g. SftpDropReader)',
    flags: [],
    examples: ['create-migration add node SftpDropReader', 'create-migration add node QueueConsumer --dry-run'],
  },
  checklist: {
    what: 'Add a checklist to docs/checklists/ (status counts its boxes).',
    name: 'its file name (e.g. security-review)',
    flags: [['--title <title>', 'its title']],
    examples: ['create-migration add checklist security-review --title "Security review"'],
  },
};

function addPage(kind: string): string {
  const page = ADD_PAGES[kind]!;
  const options = [...page.flags, ...ADD_COMMON];
  const width = Math.max(...[['[name]'], ...options].map((r) => r[0]!.length)) + 2;
  const table = (list: string[][]) => list.map(([a, b]) => `  ${a!.padEnd(width)}${b}`);
  return [
    `Usage: create-migration add ${kind} [options] [name]`,
    '',
    page.what,
    '',
    'Arguments:',
    ...table([['[name]', page.name]]),
    '',
    'Options:',
    ...table(options),
    '',
    'Examples:',
    ...page.examples.map((e) => `  $ ${e}`),
    '',
  ].join('\n');
}

/** A new project from the parsed arguments (the command's own, but for a test that reads what the parser hands it). */
type Generate = (dir: string | undefined, flags: GenerateFlags) => Promise<number>;
const generate: Generate = async (dir, flags) => (await import('./commands/generate.js')).generateCommand(dir, flags);

/** The fleet from the parsed arguments (likewise). */
type Fleet = (dirs: string[], flags: FleetFlags) => Promise<number>;
const fleet: Fleet = async (dirs, flags) => (await import('./commands/fleet.js')).fleetCommand(dirs, flags);

/** The parser; each command's action hands its exit code to `done`. */
export function program(done: (code: number) => void, generateAction: Generate = generate, fleetAction: Fleet = fleet): Command {
  const cli = rootCommand();

  cli
    .argument('[dir]', 'folder to create (default: ./legacy-migration, or the project_name answer)')
    .option('--template <src>', 'template folder, or git repo path/URL with optional #ref (default: built-in)')
    .option('--answers <file>', 'answers as JSON or YAML')
    .option('--set <key=value>', 'one answer (repeatable)', collect, [])
    .option('-y, --yes', 'take defaults for everything not given; never prompt')
    .option('--no-git', 'do not git init / commit')
    .option('--force', 'allow a non-empty target folder (never overwrites a file)')
    .option('--dry-run', 'print every file it would write; write nothing')
    .option('--json', 'print one JSON object on stdout')
    .option('--assess <dir>', 'legacy folder to read first: its findings become the default answers, its scheduled jobs the project\'s jobs (repeatable)', collect, [])
    .action(async (dir, flags) => {
      done(await namingFlags(setFlag, () => generateAction(dir, flags)));
    });

  syncCommands(cli, done);

  cli
    .command('status')
    .description('progress per phase, counted from the checklists')
    .argument('[dir]', 'the project (default: .)')
    .option('--write', "update the progress lines in README.md's status table and TASKS.md")
    .option('--html <file>', 'write a self-contained progress page')
    .option('--json', 'print one JSON object on stdout')
    .action(async (dir, flags) => {
      const { statusCommand } = await import('./commands/status.js');
      done(await statusCommand(dir, flags));
    });

  cli
    .command('add')
    .description('add a piece to an existing project: workflow, node or checklist')
    .argument('<generator>', 'workflow | node | checklist')
    .argument('[name]', 'its name (module, class or file name)')
    .option('--pattern <pattern>', 'workflow: etl | api | reporting')
    .option('--source <source>', 'workflow: a data source it reads (repeatable)', collect, [])
    .option('--title <title>', 'checklist: its title')
    .option('--schedule <cron>', 'workflow: when its Kubernetes CronJob runs (cron expression; default 0 2 * * *)')
    .option('--time-zone <zone>', 'workflow: the time zone of --schedule (IANA name; default: the cluster\'s)')
    .option('--delivery-target <target>', 'workflow --pattern api: api | sftp (default: the project\'s delivery_target)')
    .option('--project <dir>', 'the project (default: .)')
    .option('--answers <file>', 'answers as JSON or YAML')
    .option('--set <key=value>', 'one answer (repeatable)', collect, [])
    .option('-y, --yes', 'take defaults for everything not given; never prompt')
    .option('--dry-run', 'print every file it would write; write nothing')
    .option('--json', 'print one JSON object on stdout')
    .action(async (kind, name, flags) => {
      const { addCommand } = await import('./commands/add.js');
      done(await namingFlags(addFlag, () => addCommand(kind, name, flags)));
    });

  cli
    .command('adopt')
    .description('link an existing repository that was not generated by this tool to the template')
    .argument('[dir]', 'the repository (default: .)')
    .option('--template <src>', 'template folder, or git repo path/URL with optional #ref (default: built-in)')
    .option('--answers <file>', 'answers as JSON or YAML')
    .option('--set <key=value>', 'one answer (repeatable)', collect, [])
    .option('-y, --yes', 'take defaults for everything not given; never prompt')
    .option('--add-missing', 'also write the template files the repository lacks')
    .option('--dry-run', 'show the comparison; write nothing')
    .option('--json', 'print one JSON object on stdout')
    .action(async (dir, flags) => {
      const { adoptCommand } = await import('./commands/adopt.js');
      done(await namingFlags(setFlag, () => adoptCommand(dir, flags)));
    });

  cli
    .command('assess')
    .description('read legacy schedules, scripts, SQL and configuration; suggest answers and fill the assessment')
    .argument('<legacy-dir...>', 'folders holding the legacy code and configuration (read only, links never followed)')
    .option('--answers-out <file>', 'write the suggested answers (JSON, or YAML for .yaml) for --answers')
    .option('--write', "fill docs/assessment.md's assess region and add the legacy jobs not yet in jobs.yaml (entry, workflow, suspended CronJob)")
    .option('--workflows', 'add the legacy jobs not yet in jobs.yaml, without touching docs/assessment.md')
    .option('--project <dir>', 'the project for --write and --workflows (default: .)')
    .option('--max-files <n>', 'stop reading after this many files (default 50000)')
    .option('--rules <file>', "patterns for in-house tools (YAML, repeatable; a project's assess-rules.yaml is read too)", collect, [])
    .option('--json', 'print one JSON object on stdout')
    .action(async (dirs, flags) => {
      const { assessCommand } = await import('./commands/assess.js');
      done(await assessCommand(dirs, flags));
    });

  cli
    .command('fleet')
    .description('one row per project: template version, behind, conflicts, progress, cutover date')
    .argument('[dir...]', 'projects (default: . unless --repos is given)')
    .option('--repos <file>', 'git URLs or paths, one a line (URLs are cloned into a cache and refreshed)')
    .option('--html <file>', 'write a self-contained page with a sortable table')
    .option('--sort <order>', 'attention: what needs a person first (conflicts, failing update requests, behind); given: as listed', 'given')
    .option('--no-requests', 'do not ask GitHub (gh) or GitLab (GITLAB_TOKEN) about template-update requests')
    .option('--json', 'print one JSON object on stdout')
    .action(async (dirs, flags) => {
      done(await fleetAction(dirs, flags));
    });

  jobCommands(cli, done);

  const template = cli.command('template').description('tools for template authors');
  template
    .command('check')
    .description('render a covering set of answers; every output must parse, every link resolve, every file and question be used')
    .argument('[dir]', 'the template folder (default: .)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (dir, flags) => {
      const { templateCheckCommand } = await import('./commands/template.js');
      done(await templateCheckCommand(dir, flags));
    });

  cli
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .argument('<shell>', SHELLS.join(' | '))
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) throw new InputError(`<shell>: "${shell}" is not one of ${SHELLS.join(', ')}.`);
      process.stdout.write(completionScript(shell as Shell, cli));
      done(0);
    });

  withExamples(cli, '');
  return cli;
}

/** Commands other parts of the tool add (or will): a folder named like one needs `./name` too. */
const RESERVED_COMMANDS = ['help', 'fleet', 'template', 'assess'];

/**
 * A bare word that names a command, or is one edit away from one, is never taken as the folder
 * of a new project: `create-migration stauts` must not start asking questions. `help [command]`
 * shows the help it names. Returns the argv to parse.
 */
function guardCommandLike(cli: Command, argv: string[]): string[] {
  const args = argv.slice(2);
  const valueFlags = new Set(cli.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter((x): x is string => !!x)));
  const word = firstBareArgument(args, valueFlags);
  const commands = cli.commands.map((c) => c.name());
  // `add workflow --help`: that generator's page, not the page of add with every generator's flags.
  if (word === 'add' && args.some((a) => a === '--help' || a === '-h')) {
    const kind = args.slice(args.indexOf('add') + 1).find((a) => !a.startsWith('-'));
    if (kind && Object.hasOwn(ADD_PAGES, kind)) {
      process.stdout.write(addPage(kind));
      return [];
    }
  }
  if (word === undefined || commands.includes(word)) return argv;
  if (word === 'help') {
    const rest = args.slice(args.indexOf(word) + 1).filter((a) => !a.startsWith('-'));
    return [...argv.slice(0, 2), ...(rest[0] && commands.includes(rest[0]) ? [rest[0]] : []), '--help'];
  }
  const near = nearCommand(word, [...commands, ...RESERVED_COMMANDS.filter((c) => !commands.includes(c))]);
  if (!near) return argv;
  const suggestion = near === 'help' ? 'create-migration --help' : `create-migration ${near}`;
  throw new InputError(
    `[dir]: "${word}" ${word.toLowerCase() === near ? 'is the name of' : 'is close to'} the command ${near}: did you mean \`${suggestion}\`? To make a project in a folder of that name, write ./${word}.`,
  );
}

/** The parser with every command, inside the one error boundary (./boundary.ts). */
export async function main(argv: string[]): Promise<number> {
  return boundary(argv, async () => {
    let code = 0;
    const cli = program((c) => {
      code = c;
    });
    const args = guardCommandLike(cli, argv);
    if (!args.length) return 0; // answered already (a generator's help page)
    await cli.parseAsync(args);
    return code;
  });
}
