import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * The terminal's keys, handed to the prompts one question at a time. Each prompt makes its own
 * readline; a pasted burst ("\r\r\r" in one read) reaches the first prompt whole, and the keys
 * after the Enter that answered it were dropped with that readline. Here every key waits in a
 * queue: after an Enter the feed holds until the prompt has either finished (the rest goes to the
 * next question) or refused the answer (the rest goes on to the same question).
 */

// One key: a CSI or SS3 escape sequence, Alt+key, a CRLF pair, or one character (surrogates kept).
const KEY = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1bO[\s\S]|\x1b[\s\S]|\r\n|[\s\S]/gu;
const isEnter = (k: string) => k === '\r' || k === '\n' || k === '\r\n';

export function splitKeys(text: string): string[] {
  return text.match(KEY) ?? [];
}

/** How long an Enter's answer may take to be judged before more keys go to the same prompt. */
const JUDGED_WITHIN_MS = 50;

export class KeyFeed {
  private readonly queue: string[] = [];
  private readonly decoder = new StringDecoder('utf8');
  private current?: Promise<unknown>;
  private settled = false;
  private holding = false;
  private onEscape?: () => void;
  /** What the prompts read from: a terminal-like stream that the feed fills key by key. */
  readonly input: Readable & { isTTY: boolean; setRawMode(mode: boolean): unknown };

  constructor(private readonly stdin: NodeJS.ReadStream = process.stdin) {
    const input = new Readable({ read() {} }) as Readable & { isTTY: boolean; setRawMode(mode: boolean): unknown };
    input.isTTY = true;
    input.setRawMode = (mode: boolean) => stdin.setRawMode?.(mode);
    this.input = input;
  }

  private readonly onData = (chunk: Buffer | string) => {
    this.queue.push(...splitKeys(typeof chunk === 'string' ? chunk : this.decoder.write(chunk)));
    this.pump();
  };

  /**
   * Feeds `prompt` (just started) from the queue and the terminal until it settles. Esc alone (not
   * the start of an arrow key's sequence, which arrives whole) is not typed into it: `onEscape` is
   * called instead, to go back a question.
   */
  async serve<T>(prompt: Promise<T>, onEscape?: () => void): Promise<T> {
    this.current = prompt;
    this.onEscape = onEscape;
    this.settled = false;
    this.holding = false;
    const done = () => {
      if (this.current === prompt) this.settled = true;
    };
    prompt.then(done, done);
    this.stdin.on('data', this.onData);
    this.stdin.resume();
    this.pump();
    try {
      return await prompt;
    } finally {
      // Between questions nothing reads the terminal: what arrives waits in it, or in the queue.
      this.stdin.off('data', this.onData);
      this.stdin.pause();
      this.current = undefined;
    }
  }

  private pump(): void {
    while (!this.holding && !this.settled && this.current && this.queue.length) {
      const key = this.queue.shift()!;
      if (key === '\x1b' && this.onEscape) {
        this.onEscape();
        continue;
      }
      this.input.push(key);
      if (isEnter(key)) {
        this.holding = true;
        const prompt = this.current;
        const judged = new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, JUDGED_WITHIN_MS);
          const stop = () => {
            clearTimeout(timer);
            resolve();
          };
          prompt.then(stop, stop);
        });
        void judged.then(() => {
          if (this.current !== prompt) return;
          // Still asking: the answer was refused, so the next keys are meant for it.
          this.holding = false;
          this.pump();
        });
      }
    }
  }
}
