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
  const opt = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const steps = opt('--steps');
  // --out / --work: experiments elsewhere, without touching the shipped checkpoint.
  const config = {
    ...DEFAULT_PRETRAIN_MINI,
    ...(steps !== undefined ? { steps: Number(steps) } : {}),
    ...(opt('--out') !== undefined ? { outDir: opt('--out')! } : {}),
    ...(opt('--work') !== undefined ? { workDir: opt('--work')! } : {}),
  };
  const probe = await runPretrain(config, { resume });
  process.stdout.write(`${JSON.stringify({ pretrain: 'toolrl-mini-base', out: config.outDir, probe })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
