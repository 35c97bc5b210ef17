/** The flags one command's plain form takes: each flag's name (aliases share one, as -y and --yes). */
export interface PlainFlags<V extends string, S extends string> {
  /** Flags followed by a value. */
  values: Readonly<Record<string, V>>;
  /** Flags that stand alone. */
  switches: Readonly<Record<string, S>>;
  /** A value flag that may come as often as wanted (--set); its values in order. */
  repeatable?: string;
}

/** A plain command line, read: each flag's value or presence by name, the repeated values, the other words. */
export interface PlainRead<V extends string, S extends string> {
  values: Partial<Record<V, string>>;
  switches: Set<S>;
  repeated: string[];
  words: string[];
}

/**
 * Reads `args` from `from` on as the launchers' plain forms are read without the argument parser
 * (generate, fleet, sync, jobs): each flag once (but the repeatable one), a value after its flag
 * that is neither empty nor looks like a flag, and any other word neither a flag nor empty.
 * Undefined for anything else: the parser reads that, and says what is wrong. Each command's
 * test (test/*-args.test.ts) holds its reading to the parser's own.
 */
export function readPlain<V extends string, S extends string>(args: readonly string[], from: number, flags: PlainFlags<V, S>): PlainRead<V, S> | undefined {
  const out: PlainRead<V, S> = { values: {}, switches: new Set(), repeated: [], words: [] };
  const seen = new Set<string>();
  for (let i = from; i < args.length; i++) {
    const a = args[i]!;
    const valued = a === flags.repeatable || Object.hasOwn(flags.values, a);
    if (valued) {
      const v = args[++i];
      if (v === undefined || v === '' || v.startsWith('-')) return undefined;
      if (a === flags.repeatable) {
        out.repeated.push(v);
        continue;
      }
      const name = flags.values[a]!;
      if (seen.has(name)) return undefined;
      seen.add(name);
      out.values[name] = v;
    } else if (Object.hasOwn(flags.switches, a)) {
      const name = flags.switches[a]!;
      if (seen.has(name)) return undefined;
      seen.add(name);
      out.switches.add(name);
    } else if (a.startsWith('-') || a === '') return undefined;
    else out.words.push(a);
  }
  return out;
}
