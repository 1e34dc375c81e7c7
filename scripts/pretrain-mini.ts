/**
 * `npm run pretrain:mini [-- --resume] [--steps N] [--stop-after N] [--out DIR] [--work DIR] [--config FILE]`: pretrains the toolrl-mini base model
 * (lib/pretrain/run.ts; settings: DEFAULT_PRETRAIN_MINI in lib/config.ts) and writes it to
 * assets/toolrl-mini-base/. Seeded and resumable (state in runs/pretrain-mini/).
 * `npm run pretrain:mini -- --describe [--out DIR] [--work DIR]`: probes a finished base again (the
 * settings it was made with, from its pretrain.json; DIR and the work directory as given) and rewrites
 * its pretrain.json and MODEL_CARD.md — for a base made before a probe was added, or moved; the
 * weights are not touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEFAULT_PRETRAIN_MINI, type PretrainMiniConfig } from '../lib/config';
import { describeBase, runPretrain, type BaseDescription } from '../lib/pretrain/run';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // Every argument is a known flag or a flag's value: a typo (`--step 100`) must not run the default.
  const valued = ['--steps', '--stop-after', '--out', '--work', '--config'];
  const switches = ['--resume', '--describe'];
  for (let i = 0; i < args.length; i++) {
    if (valued.includes(args[i]!)) i++;
    else if (!switches.includes(args[i]!)) throw new TypeError(`unknown argument ${args[i]}; valid: ${[...switches, ...valued].join(', ')}`);
  }
  // --describe re-probes with the settings the base was made with: training flags would be ignored.
  if (args.includes('--describe')) {
    const ignored = ['--resume', '--steps', '--stop-after', '--config'].filter((f) => args.includes(f));
    if (ignored.length > 0) throw new TypeError(`--describe takes only --out and --work (it uses the settings in the base's pretrain.json), not ${ignored.join(', ')}`);
  }
  const resume = args.includes('--resume');
  // A flag given without a value is an error, not a silent default.
  const opt = (name: string): string | undefined => {
    if (!args.includes(name)) return undefined;
    const v = args[args.indexOf(name) + 1];
    if (v === undefined || v.startsWith('--')) throw new TypeError(`${name} needs a value`);
    return v;
  };
  const positive = (name: string): number | undefined => {
    const v = opt(name);
    if (v !== undefined && !(Number.isInteger(Number(v)) && Number(v) >= 1)) throw new RangeError(`${name} must be a positive integer, got ${v}`);
    return v === undefined ? undefined : Number(v);
  };
  // Without this check, --steps abc would skip training and still write the (untrained) model.
  const steps = positive('--steps');
  // --stop-after N: pause (checkpointed) after step N; `--resume` later finishes the same run.
  const stopAfter = positive('--stop-after');
  const out = opt('--out');
  const work = opt('--work');
  // --config FILE: a JSON object of settings over the defaults ("corpus" and "model" merged key by key),
  // for experiments; the shipped checkpoint is made with the defaults alone.
  const file = opt('--config');
  const over = file === undefined ? {} : (JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<PretrainMiniConfig>);
  for (const k of Object.keys(over)) if (!(k in DEFAULT_PRETRAIN_MINI)) throw new TypeError(`${file}: unknown setting ${k}`);
  for (const k of Object.keys(over.corpus ?? {})) if (!(k in DEFAULT_PRETRAIN_MINI.corpus)) throw new TypeError(`${file}: unknown setting corpus.${k}`);
  for (const k of Object.keys(over.model ?? {})) if (!(k in DEFAULT_PRETRAIN_MINI.model)) throw new TypeError(`${file}: unknown setting model.${k}`);
  // --out / --work: experiments elsewhere, without touching the shipped checkpoint.
  const config: PretrainMiniConfig = {
    ...DEFAULT_PRETRAIN_MINI,
    ...over,
    corpus: { ...DEFAULT_PRETRAIN_MINI.corpus, ...over.corpus },
    model: { ...DEFAULT_PRETRAIN_MINI.model, ...over.model },
    ...(steps !== undefined ? { steps } : {}),
    ...(out !== undefined ? { outDir: out } : {}),
    ...(work !== undefined ? { workDir: work } : {}),
  };
  if (args.includes('--describe')) {
    const file = path.join(config.outDir, 'pretrain.json');
    if (!fs.existsSync(file)) throw new Error(`--describe: no pretrain.json in ${config.outDir}`);
    const made = JSON.parse(fs.readFileSync(file, 'utf8')) as BaseDescription;
    const d = await describeBase({ ...made.config, outDir: config.outDir, workDir: config.workDir }, { seconds: made.seconds, parameters: made.parameters });
    process.stdout.write(`${JSON.stringify({ describe: config.outDir, probe: d.probe, corpusProbe: d.corpusProbe, sharedVerbProbe: d.sharedVerbProbe, topicProbes: d.topicProbes })}\n`);
    return;
  }
  const probe = await runPretrain(config, { resume, ...(stopAfter !== undefined ? { stopAfter } : {}) });
  process.stdout.write(`${JSON.stringify({ pretrain: 'toolrl-mini-base', out: config.outDir, ...(probe !== undefined ? { probe } : { stoppedAfter: stopAfter }) })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
