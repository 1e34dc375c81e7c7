/**
 * `npm run pretrain:mini [-- --resume] [-- --steps N]`: pretrains the toolrl-mini base model
 * (lib/pretrain/run.ts; settings: DEFAULT_PRETRAIN_MINI in lib/config.ts) and writes it to
 * assets/toolrl-mini-base/. Seeded and resumable (state in runs/pretrain-mini/).
 */
import { DEFAULT_PRETRAIN_MINI } from '../lib/config';
import { runPretrain } from '../lib/pretrain/run';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const resume = args.includes('--resume');
  const i = args.indexOf('--steps');
  const config = { ...DEFAULT_PRETRAIN_MINI, ...(i >= 0 ? { steps: Number(args[i + 1]) } : {}) };
  const probe = await runPretrain(config, { resume });
  process.stdout.write(`${JSON.stringify({ pretrain: 'toolrl-mini-base', out: config.outDir, probe })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
