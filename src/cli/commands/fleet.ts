import { InputError } from '../../core/errors.js';
import { fleetTable } from '../../core/fleet/table.js';
import { fleet } from '../../flows/fleet.js';
import { printJson, write } from '../output.js';
import type { FleetFlags } from '../../boot/fleet-args.js';

// The flags, declared beside the launcher's reading of the plain form (src/boot/fleet-args.ts).
export type { FleetFlags } from '../../boot/fleet-args.js';

export async function fleetCommand(dirs: string[], flags: FleetFlags): Promise<number> {
  if (flags.sort !== undefined && flags.sort !== 'attention' && flags.sort !== 'given') throw new InputError(`--sort: "${flags.sort}" must be attention or given.`);
  const progress = process.stderr.isTTY === true;
  const { rows, totals, exitCode } = await fleet({
    dirs,
    repos: flags.repos,
    html: flags.html,
    requests: flags.requests,
    sort: flags.sort as 'attention' | 'given' | undefined,
    onProgress: (done, total) => {
      if (progress && total > 1) process.stderr.write(`\rfleet: ${done}/${total}`);
    },
  });
  if (progress && rows.length > 1) process.stderr.write('\r\x1b[K');
  if (flags.json) printJson({ ok: exitCode === 0, command: 'fleet', exitCode, totals, projects: rows });
  else write(fleetTable(rows, totals));
  return exitCode;
}
