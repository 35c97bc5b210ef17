import { describe, expect, it } from 'vitest';
import { cronSchedule, DEFAULT_SCHEDULE, timeZone } from '../src/core/schedule.js';

describe('the CronJob answers of add workflow', () => {
  it('accepts five-field cron expressions, names and macros, and defaults to nightly', () => {
    for (const s of ['0 2 * * *', '*/15 6-18 * * MON-FRI', '0 0 1,15 * *', '30 4 * JAN-MAR 0', '5 4 * * 7', '@daily']) {
      expect(cronSchedule('schedule', s)).toBe(s);
    }
    expect(cronSchedule('schedule', '  0   2 * *  * ')).toBe('0 2 * * *');
    expect(cronSchedule('schedule', '')).toBe(DEFAULT_SCHEDULE);
    expect(cronSchedule('schedule', undefined)).toBe(DEFAULT_SCHEDULE);
  });

  it.each(['0 24 * * *', '60 * * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', '5-1 * * * *', '*/0 * * * *', '0 2 * *', 'every night', '0 2 * * * *', '@reboot', '0 2 * * *\nx: y'])(
    'refuses %j, naming the key',
    (s) => expect(() => cronSchedule('schedule', s)).toThrow(/^schedule: /),
  );

  it('accepts IANA time zones and empty, refuses anything else naming the key', () => {
    expect(timeZone('time_zone', 'Europe/Berlin')).toBe('Europe/Berlin');
    expect(timeZone('time_zone', 'America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(timeZone('time_zone', '')).toBe('');
    for (const s of ['Mars/Olympus', '../etc/passwd', 'Europe/Berlin"\nx: 1', 'UTC+25']) {
      expect(() => timeZone('time_zone', s)).toThrow(/^time_zone: /);
    }
  });
});
