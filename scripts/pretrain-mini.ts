/**
 * `npm run pretrain:mini [-- --resume] [--steps N] [--out DIR] [--work DIR]`: pretrains the toolrl-mini base model
 * (lib/pretrain/run.ts; settings: DEFAULT_PRETRAIN_MINI in lib/config.ts) and writes it to
 * assets/toolrl-mini-base/. Seeded and resumable (state in runs/pretrain-mini/).
 */
import { DEFAULT_PRETRAIN_MINI } from '../lib/config';
import { runPretrain } from '../lib/pretrain/run';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const resume = args.includes('--resume');
  // A flag given without a value is an error, not a silent default.
  const opt = (name: string): string | undefined => {
    if (!args.includes(name)) return undefined;
    const v = args[args.indexOf(name) + 1];
    if (v === undefined || v.startsWith('--')) throw new TypeError(`${name} needs a value`);
    return v;
  };
  const steps = opt('--steps');
  // Without this check, --steps abc would skip training and still write the (untrained) model.
  if (steps !== undefined && !(Number.isInteger(Number(steps)) && Number(steps) >= 1)) {
    throw new RangeError(`--steps must be a positive integer, got ${steps}`);
  }
  const out = opt('--out');
  const work = opt('--work');
  // --out / --work: experiments elsewhere, without touching the shipped checkpoint.
  const config = {
    ...DEFAULT_PRETRAIN_MINI,
    ...(steps !== undefined ? { steps: Number(steps) } : {}),
    ...(out !== undefined ? { outDir: out } : {}),
    ...(work !== undefined ? { workDir: work } : {}),
  };
  const probe = await runPretrain(config, { resume });
  process.stdout.write(`${JSON.stringify({ pretrain: 'toolrl-mini-base', out: config.outDir, probe })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
