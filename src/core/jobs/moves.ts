/**
 * The moves of a job through the cutover, and their gates. Pure: the job, the facts the gates need
 * (read by the caller), and the request in; a decision out.
 */
import { InputError } from '../errors.js';
import { STATES, type HistoryEntry, type Job, type JobState } from './schema.js';
import type { Streak } from './gate.js';

export interface MoveRequest {
  to: string;
  reason?: string;
  force?: boolean;
  by: string;
  /** ISO date and time of the move. */
  at: string;
}

export interface GateFacts {
  /** Whether the workflow module and the CronJob file exist. */
  workflowExists: boolean;
  cronjobExists: boolean;
  /** The parity streak, when the move is to `switched`. */
  streak?: Streak;
}

export interface MoveDecision {
  from: JobState;
  to: JobState;
  entry: HistoryEntry;
  /** What a forced move skipped, for the history's reason and the user. */
  skipped: string[];
}

/** The one state after `s` (none after decommissioned). */
export const nextState = (s: JobState): JobState | undefined => STATES[STATES.indexOf(s) + 1];

/** What a gate misses for moving into `to`, each a sentence naming what is missing; [] when it holds. */
export function gateProblems(job: Job, to: JobState, facts: GateFacts, criterionPath?: string): string[] {
  const out: string[] = [];
  if (to === 'ported') {
    if (!facts.workflowExists) out.push(`the workflow module of ${job.workflow} does not exist (add it with \`create-migration add workflow ${job.workflow}\`)`);
    if (!facts.cronjobExists) out.push(`its CronJob ${job.cronjob} does not exist`);
  }
  if (to === 'switched' && facts.streak && !facts.streak.met) {
    const s = facts.streak;
    const red = s.lastRed ? `; the last red report is ${s.lastRed.path}` : !s.newest ? '; there is no report yet' : s.brokenBy ? `; the streak was broken by ${s.brokenBy}` : '';
    out.push(
      `the parity criterion is not met: ${s.days} of ${s.criterion} consecutive green business days, ${s.missing} more needed${red}${criterionPath ? ` (reports in ${criterionPath})` : ''}`,
    );
  }
  return out;
}

/** Decides a move, or throws an InputError that names what is missing. */
export function decideMove(job: Job, req: MoveRequest, facts: GateFacts): MoveDecision {
  const to = req.to as JobState;
  if (!STATES.includes(to)) throw new InputError(`--to: "${req.to}" is not a state; one of ${STATES.join(', ')}.`, 'to');
  const from = job.state;
  const reason = req.reason?.trim() ?? '';
  if (req.force && !reason) throw new InputError('--force: needs --reason "..." saying why the gate is skipped; it is recorded in the job\'s history.', 'reason');
  if (to === from) throw new InputError(`--to: job ${job.id} is already ${from}.`, 'to');
  const rollback = from === 'switched' && to === 'parallel';
  if (rollback && !reason) throw new InputError(`--reason: a rollback of job ${job.id} from switched to parallel needs --reason "..." (what went wrong); it is recorded in the history.`, 'reason');
  if (!rollback && nextState(from) !== to) {
    const next = nextState(from);
    const back = from === 'switched' ? ' (or back to parallel, with --reason)' : '';
    throw new InputError(
      `--to: job ${job.id} is ${from}; a move goes one step forward${next ? `, to ${next}${back}` : ' (decommissioned is the last state)'}, not to ${to}.`,
      'to',
    );
  }
  const problems = rollback ? [] : gateProblems(job, to, facts, `reports/parity/${job.id}/`);
  if (problems.length && !req.force) {
    throw new InputError(`job ${job.id} cannot move to ${to}: ${problems.join('; ')}. Pass --force --reason "..." to move anyway (recorded).`, 'to');
  }
  const entry: HistoryEntry = { at: req.at, from, to, by: req.by, reason: reason || (rollback ? '' : `moved to ${to}`) };
  if (req.force) entry.forced = true;
  return { from, to, entry, skipped: req.force ? problems : [] };
}
