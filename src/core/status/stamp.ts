/** Local time as a person reads it, with the offset from UTC and the zone's name: 2026-12-01 10:17 UTC+01:00 (Europe/Paris). */
export function localStamp(d: Date, zone = Intl.DateTimeFormat().resolvedOptions().timeZone): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  // In UTC itself, "UTC+00:00 (UTC)" would say it twice.
  if (off === 0 && (!zone || /^(?:Etc\/)?(?:UTC|UCT|GMT|Zulu|Universal)$/i.test(zone))) return `${stamp} UTC`;
  return `${stamp} UTC${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}${zone ? ` (${zone})` : ''}`;
}
