import type { ChildProcess } from 'node:child_process';

/**
 * For a child spawned `detached` (a process group of its own): every kill, ours or the
 * interrupt handler's (src/edge/cleanup.ts), goes to the whole group, so that the helpers git
 * starts for a remote (git-remote-https, ssh, index-pack) stop with it. Returns the group kill.
 */
export function killsItsGroup(child: ChildProcess): (signal: NodeJS.Signals) => void {
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // The group has ended already.
    }
  };
  child.kill = (signal?: NodeJS.Signals | number) => {
    killGroup(typeof signal === 'string' ? signal : 'SIGTERM');
    return true;
  };
  return killGroup;
}
