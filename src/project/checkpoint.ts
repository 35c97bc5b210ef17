/**
 * Named points in a run where a test can hold the process and signal it, to prove that every
 * phase can be interrupted safely. Inert unless CREATE_MIGRATION_HOLD names the point: then the
 * run says `hold <name>` on stderr and waits there until it is signalled.
 */
export async function checkpoint(name: string): Promise<void> {
  if (process.env.CREATE_MIGRATION_HOLD !== name) return;
  process.stderr.write(`hold ${name}\n`);
  await new Promise<never>(() => {
    setInterval(() => undefined, 60_000);
  });
}
