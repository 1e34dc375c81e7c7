/**
 * A small, strict command-line parser: `--name value`, `--name=value`, `--flag`, `--no-flag`.
 * Unknown options are errors that name the closest known one (a misspelled option must not be
 * silently ignored in a training run).
 */
export type OptionKind = 'string' | 'int' | 'number' | 'boolean';

export interface OptionSpec {
  kind: OptionKind;
  help: string;
  choices?: readonly string[];
}

export class UsageError extends Error {
  override name = 'UsageError';
}

function closest(name: string, known: string[]): string | undefined {
  const score = (a: string, b: string) => {
    const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return dp[a.length]![b.length]!;
  };
  const best = known.map((k) => [k, score(name, k)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 3 ? best[0] : undefined;
}

export function parseOptions(argv: readonly string[], specs: Record<string, OptionSpec>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    let negated = false;
    if (!(name in specs) && name.startsWith('no-') && specs[name.slice(3)]?.kind === 'boolean') {
      name = name.slice(3);
      negated = true;
    }
    const spec = specs[name];
    if (!spec) {
      const near = closest(name, Object.keys(specs));
      throw new UsageError(`unknown option --${name}${near ? ` (did you mean --${near}?)` : ''}; see --help`);
    }
    if (spec.kind === 'boolean') {
      if (value !== undefined && !['true', 'false'].includes(value)) throw new UsageError(`--${name} takes no value (or =true/=false)`);
      out[name] = negated ? false : value !== 'false';
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
    }
    out[name] = coerce(name, value, spec);
  }
  return out;
}

export function coerce(name: string, value: unknown, spec: OptionSpec): string | number | boolean {
  if (spec.kind === 'boolean') {
    if (typeof value === 'boolean') return value;
    throw new UsageError(`--${name} must be true or false, got ${JSON.stringify(value)}`);
  }
  if (spec.kind === 'string') {
    if (typeof value !== 'string') throw new UsageError(`--${name} must be a string, got ${JSON.stringify(value)}`);
    if (spec.choices && !spec.choices.includes(value)) throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}, got "${value}"`);
    return value;
  }
  const n = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'string' && value.trim() === '') throw new UsageError(`--${name} needs a number`);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(value)}`);
  if (spec.kind === 'int' && !Number.isSafeInteger(n)) throw new UsageError(`--${name} must be an integer, got ${value}`);
  return n;
}

export function helpText(specs: Record<string, OptionSpec>): string {
  return Object.entries(specs)
    .map(([name, s]) => {
      const arg = s.kind === 'boolean' ? `--[no-]${name}` : `--${name} ${s.choices ? s.choices.join('|') : s.kind.toUpperCase()}`;
      return `  ${arg.padEnd(38)} ${s.help}`;
    })
    .join('\n');
}
