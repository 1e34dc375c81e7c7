/**
 * A one-line progress bar with ETA on a terminal (stderr); on a non-terminal (CI, a pipe) it prints
 * a plain line every few seconds instead, so logs stay readable.
 */
export class Progress {
  readonly #label: string;
  readonly #total: number;
  readonly #start = Date.now();
  readonly #tty = Boolean(process.stderr.isTTY);
  readonly #first: number;
  #lastPlain = 0;
  #finished = false;

  /** `first`: steps already done before this process (a resumed run), left out of the rate. */
  constructor(label: string, total: number, first = 0) {
    this.#label = label;
    this.#total = Math.max(1, total);
    this.#first = first;
  }

  update(done: number, note = ''): void {
    const frac = Math.min(1, done / this.#total);
    const elapsed = (Date.now() - this.#start) / 1000;
    const eta = done > this.#first ? (elapsed / (done - this.#first)) * (this.#total - done) : NaN;
    const text = `${this.#label} ${done}/${this.#total} ${bar(frac)} ${fmtTime(elapsed)} elapsed, ETA ${fmtTime(eta)}${note ? `  ${note}` : ''}`;
    if (this.#tty) {
      const width = process.stderr.columns ?? 120;
      process.stderr.write(`\r${text.slice(0, width - 1).padEnd(width - 1)}`);
    } else if (!this.#finished && (Date.now() - this.#lastPlain > 5000 || done >= this.#total)) {
      this.#lastPlain = Date.now();
      this.#finished = done >= this.#total;
      process.stderr.write(`${text}\n`);
    }
  }

  done(note = ''): void {
    this.update(this.#total, note);
    if (this.#tty) process.stderr.write('\n');
  }
}

function bar(frac: number, width = 24): string {
  const n = Math.round(frac * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}

export function fmtTime(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}
