/**
 * `node train.js [options]`: the paper's pipeline — base → SFT on demonstrations → GRPO with the
 * ToolRL reward — evaluated on held-out rows after each stage. With no arguments it runs
 * toolrl-mini (DESIGN.md "The embedded default") and must finish in ≤ 15 minutes on 2 cores.
 * Reads top-down: options → data → model → base eval → SFT → GRPO → summary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';

import {
  DEFAULT_GRPO_CONFIG, DEFAULT_MINI_PIPELINE, DEFAULT_SFT_CONFIG, LOSS_AGGREGATIONS, type GrpoConfig, type SftConfig,
  type TrainStepOptions,
} from '../config';
import { loadDataset } from '../data/load';
import { miniModelConfig, miniWorld } from '../data/mini';
import { ChatTemplate } from '../data/template';
import { Tokenizer } from '../data/tokenizer';
import type { ToolUseExample } from '../data/types';
import { Policy } from '../policy';
import { curvesSvg } from '../report/curves';
import { JsonlLog, readJsonl } from '../report/log';
import { setThreads } from '../runtime';
import type { RewardOptions } from '../rewards';
import { loadCheckpoint, resolveCheckpoint, saveCheckpoint } from '../train/checkpoint';
import { referencePolicy } from '../train/reference';
import { evaluateHeldOut, type EvalResult } from '../train/evaluate';
import { runGrpo } from '../train/grpo';
import { stopTokens } from '../train/prompts';
import { runSft } from '../train/sft';
import { packageRoot } from '../util/paths';
import { helpText, parseOptions, coerce, UsageError, type OptionSpec } from './args';

// ---------------------------------------------------------------------------------------------
// Options (defaults live in lib/config.ts; these only name and describe them)

const M = DEFAULT_MINI_PIPELINE;
const OPTIONS: Record<string, OptionSpec> = {
  help: { kind: 'boolean', help: 'show this help' },
  config: { kind: 'string', help: 'JSON or YAML file with any of these options (command line wins)' },
  out: { kind: 'string', help: 'output directory (default runs/<timestamp>)' },
  resume: { kind: 'boolean', help: 'continue the run in --out from its checkpoint' },
  seed: { kind: 'int', help: `seed of data order, initialisation and sampling (default ${M.seed})` },
  threads: { kind: 'int', help: 'threads for both pools (ATen and BLAS)' },
  'aten-threads': { kind: 'int', help: 'ATen intra-op threads (default 1)' },
  'blas-threads': { kind: 'int', help: 'OpenBLAS threads (default: all cores)' },
  model: { kind: 'string', help: 'Hugging Face model directory to start from (needs tokenizer.json); default: the toolrl-mini base; a toolrl-mini model (its tokenizer) keeps the toolrl-mini settings' },
  data: { kind: 'string', help: 'dataset (ToolRL json, veRL parquet, API-Bank, OpenAI-style JSONL) for SFT and GRPO; default: toolrl-mini' },
  'eval-data': { kind: 'string', help: 'held-out dataset (default: toolrl-mini held-out tools, or the last --held-out rows of --data)' },
  'held-out': { kind: 'int', help: `held-out rows to evaluate (default ${M.heldOutExamples})` },
  stages: { kind: 'string', help: 'stages to run, comma separated: sft,grpo (default both)' },
  'sft-examples': { kind: 'int', help: `demonstrations for SFT (default ${M.sftExamples})` },
  'renamed-fraction': { kind: 'number', help: `toolrl-mini: fraction of SFT and RL rows with freshly renamed tools (default ${M.renamedFraction})` },
  'keyword-swap': { kind: 'number', help: `toolrl-mini: fraction of SFT and RL rows whose request/tool keywords are made-up words (default ${M.keywordSwap})` },
  'novel-tools': { kind: 'number', help: `toolrl-mini: fraction of SFT and RL rows listing a new synthetic tool, half of them asking for it (default ${M.novelTool})` },
  'rename-pieces': { kind: 'number', help: `toolrl-mini: in renamed rows, the chance each fresh name word is spelled in vocabulary pieces (default ${M.renamePieces})` },
  'rename-share': { kind: 'number', help: `toolrl-mini: in those rows, the chance each listed tool is renamed (default ${M.renameShare})` },
  'sft-epochs': { kind: 'int', help: `SFT epochs (default ${M.sft.epochs})` },
  'sft-batch-size': { kind: 'int', help: `SFT batch size (default ${M.sft.batchSize})` },
  'sft-lr': { kind: 'number', help: `SFT learning rate (default ${M.sft.lr})` },
  'sft-piece-dropout': { kind: 'number', help: `SFT: chance each word of a demonstration is split into its BPE pieces, per step (default ${M.sft.pieceDropout ?? 0})` },
  'grpo-piece-dropout': { kind: 'number', help: `GRPO: chance each word of a rollout prompt is split into its BPE pieces, per step (default ${M.grpo.pieceDropout ?? 0})` },
  'grpo-steps': { kind: 'int', help: `GRPO steps (default ${M.grpo.steps})` },
  'prompts-per-step': { kind: 'int', help: `prompts per GRPO step (default ${M.grpo.promptsPerStep})` },
  'group-size': { kind: 'int', help: `samples per prompt, G (default ${M.grpo.groupSize})` },
  lr: { kind: 'number', help: `GRPO learning rate (default ${M.grpoStep.lr})` },
  beta: { kind: 'number', help: 'k3 KL coefficient (default 0: no reference model)' },
  'entropy-coef': { kind: 'number', help: `entropy bonus (default ${M.grpoStep.entropyCoef})` },
  'clip-eps': { kind: 'number', help: 'PPO clip epsilon, low and high (default 0.2)' },
  aggregation: { kind: 'string', choices: LOSS_AGGREGATIONS, help: 'loss aggregation (default token-mean)' },
  temperature: { kind: 'number', help: `rollout temperature (default ${M.grpo.temperature})` },
  'max-new-tokens': { kind: 'int', help: `tokens per completion (default ${M.grpo.maxNewTokens})` },
  'updates-per-rollout': { kind: 'int', help: `passes over each rollout (default ${M.grpo.updatesPerRollout})` },
  'mini-batches': { kind: 'int', help: `mini-batches per pass (default ${M.grpo.miniBatches})` },
  'dynamic-sampling': { kind: 'boolean', help: 'drop zero-variance groups and refill (default on for toolrl-mini)' },
  'std-scale': { kind: 'boolean', help: 'divide advantages by the group std (default on; off = Dr. GRPO)' },
  length: { kind: 'string', choices: ['off', 'fixed', 'scheduled'], help: 'length reward (paper §5.1; default off)' },
  scale: { kind: 'string', choices: ['default', 'equalMax', 'twoStage', 'dynamic'], help: 'reward scale (paper §5.2)' },
  granularity: { kind: 'string', choices: ['default', 'finegrained', 'intermediate', 'coarse'], help: 'reward granularity (paper §5.3)' },
  matching: { kind: 'string', choices: ['greedy', 'optimal'], help: 'call matching in the reward (default greedy, as the reference)' },
  'eval-every': { kind: 'int', help: 'held-out evaluation every N GRPO steps (default: end only)' },
  'checkpoint-every': { kind: 'int', help: 'checkpoint every N GRPO steps (default: end only)' },
};

export const TRAIN_HELP = `usage: node train.js [options]
       node train.js eval --help

Runs base -> SFT -> GRPO with the ToolRL reward and prints held-out exact-match accuracy and mean
reward for each stage. With no options: toolrl-mini, a synthetic tool-use world, in minutes on a CPU.

${helpText(OPTIONS)}
`;

type Opts = Record<string, string | number | boolean>;

function readConfigFile(file: string): Opts {
  let raw: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    raw = /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: cannot read config (${(err as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${file}: config must be an object of options`);
  const out: Opts = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in OPTIONS) || k === 'config') throw new UsageError(`${file}: unknown option "${k}"`);
    out[k] = coerce(k, v, OPTIONS[k]!);
  }
  return out;
}

function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

// ---------------------------------------------------------------------------------------------

export async function trainCommand(argv: string[]): Promise<number> {
  let cli: Opts;
  try {
    cli = parseOptions(argv, OPTIONS);
    if (cli.config) cli = { ...readConfigFile(String(cli.config)), ...cli };
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`train.js: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (cli.help) {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  const o = <T>(k: string, d: T): T => (cli[k] === undefined ? d : (cli[k] as T));
  // A share in [0, 1] from the command line, checked here so the message names the flag.
  const unit = (flag: string, d: number): number => {
    const v = o(flag, d);
    if (!(v >= 0 && v <= 1)) throw new UsageError(`--${flag}: expected a number in [0, 1], got ${v}`);
    return v;
  };
  const started = performance.now();
  const seed = o('seed', M.seed);
  const outDir = path.resolve(o('out', path.join('runs', new Date().toISOString().replace(/[:.]/g, '-'))));
  fs.mkdirSync(outDir, { recursive: true });
  if (cli.threads !== undefined) setThreads({ aten: Number(cli.threads), blas: Number(cli.threads) });
  if (cli['aten-threads'] !== undefined || cli['blas-threads'] !== undefined) {
    setThreads({ aten: Number(o('aten-threads', 0)), blas: Number(o('blas-threads', 0)) });
  }
  const stages = String(o('stages', 'sft,grpo')).split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of stages) if (s !== 'sft' && s !== 'grpo') throw new UsageError(`--stages: unknown stage "${s}" (sft, grpo)`);
  // Checked before any work; the default depends on the model, known only after the data is read.
  const sftPieces = cli['sft-piece-dropout'] === undefined ? undefined : unit('sft-piece-dropout', 0);
  const grpoPieces = cli['grpo-piece-dropout'] === undefined ? undefined : unit('grpo-piece-dropout', 0);

  // ---- data
  const world = miniWorld({ seed });
  // toolrl-mini settings (lib/config.ts DEFAULT_MINI_PIPELINE) go with a toolrl-mini model: the
  // shipped base (or random weights), or --model DIR holding one (a checkpoint of an earlier run,
  // another pretraining), recognised by its tokenizer being the mini tokenizer.
  const mini = cli.model === undefined || isMiniModelDir(String(cli.model), (await world.tokenizer()).json);
  const heldOutN = o('held-out', M.heldOutExamples);
  let sftRows: ToolUseExample[];
  let rlRows: ToolUseExample[];
  let evalRows: ToolUseExample[];
  if (cli.data !== undefined) {
    const sft = await loadDataset(String(cli.data), { purpose: 'sft' });
    const rl = await loadDataset(String(cli.data), { purpose: 'rl' });
    if (rl.rejected.length) process.stderr.write(`${cli.data}: ${rl.rejected.length} rows unusable for RL (first: row ${rl.rejected[0]!.row}: ${rl.rejected[0]!.reason})\n`);
    if (cli['eval-data'] !== undefined) {
      evalRows = (await loadDataset(String(cli['eval-data']), { purpose: 'rl' })).rows.slice(0, heldOutN);
      sftRows = sft.rows;
      rlRows = rl.rows;
    } else {
      const cut = Math.max(0, rl.rows.length - heldOutN);
      evalRows = rl.rows.slice(cut);
      const held = new Set(evalRows.map((r) => r.id));
      sftRows = sft.rows.filter((r) => !held.has(r.id));
      rlRows = rl.rows.slice(0, cut);
    }
    sftRows = sftRows.slice(0, o('sft-examples', sftRows.length));
  } else {
    const sftN = o('sft-examples', M.sftExamples);
    // Plain and renamed rows interleaved (row i renamed when floor((i+1)f) > floor(if)): same set for a seed.
    const f = unit('renamed-fraction', M.renamedFraction);
    const n = sftN + M.rlPrompts;
    const share = o('rename-share', M.renameShare);
    if (!(share > 0 && share <= 1)) throw new UsageError(`--rename-share: expected a number in (0, 1], got ${share}`);
    const swap = unit('keyword-swap', M.keywordSwap);
    const novel = unit('novel-tools', M.novelTool);
    const pieces = unit('rename-pieces', M.renamePieces);
    const plain = world.train(n, { keywordSwap: swap, novelTool: novel });
    const renamed = f > 0 ? world.train(n, { renamed: share, keywordSwap: swap, novelTool: novel, renamePieces: pieces }) : [];
    const pool = plain.map((row, i) => (Math.floor((i + 1) * f) > Math.floor(i * f) ? renamed[i]! : row));
    sftRows = pool.slice(0, sftN);
    rlRows = pool.slice(sftN);
    evalRows = cli['eval-data'] !== undefined ? (await loadDataset(String(cli['eval-data']), { purpose: 'rl' })).rows.slice(0, heldOutN) : world.heldOut(heldOutN);
  }

  // ---- model and tokenizer
  let tokenizer: Tokenizer;
  let template: ChatTemplate;
  let policy: Policy;
  const modelFiles: Record<string, string> = {};
  let baseName = String(cli.model ?? '');
  if (mini) {
    tokenizer = await world.tokenizer();
    template = ChatTemplate.chatml();
    const base = path.join(packageRoot(), M.baseModel);
    if (cli.model !== undefined) {
      policy = await Policy.load(String(cli.model));
      baseName = `${String(cli.model)} (toolrl-mini)`;
    } else if (fs.existsSync(path.join(base, 'config.json'))) {
      policy = await Policy.load(base);
      baseName = `toolrl-mini-base (${M.baseModel})`;
    } else {
      process.stderr.write(`note: no pretrained base at ${base}; starting from random weights (run \`npm run pretrain:mini\` to make one)\n`);
      policy = await Policy.create(miniModelConfig(tokenizer.vocabSize), { seed });
      baseName = 'toolrl-mini, random init';
    }
  } else {
    const dir = String(cli.model);
    tokenizer = await Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
    const tc = path.join(dir, 'tokenizer_config.json');
    template = fs.existsSync(tc) ? await ChatTemplate.fromTokenizerConfig(tc) : ChatTemplate.chatml();
    policy = await Policy.load(dir);
    for (const f of ['tokenizer.json', 'tokenizer_config.json', 'generation_config.json']) {
      if (fs.existsSync(path.join(dir, f))) modelFiles[f] = fs.readFileSync(path.join(dir, f), 'utf8');
    }
  }
  if (mini) modelFiles['tokenizer.json'] = JSON.stringify(tokenizer.json);
  const stop = stopTokens(tokenizer);
  if (stop.length === 0) throw new Error('the tokenizer has no EOS / <|im_end|> token to stop generation on');

  const sftConfig: SftConfig = {
    ...(mini ? M.sft : DEFAULT_SFT_CONFIG),
    epochs: o('sft-epochs', (mini ? M.sft : DEFAULT_SFT_CONFIG).epochs),
    batchSize: o('sft-batch-size', (mini ? M.sft : DEFAULT_SFT_CONFIG).batchSize),
    lr: o('sft-lr', (mini ? M.sft : DEFAULT_SFT_CONFIG).lr),
    pieceDropout: sftPieces ?? (mini ? M.sft : DEFAULT_SFT_CONFIG).pieceDropout ?? 0,
    seed,
  };
  const g0 = mini ? M.grpo : DEFAULT_GRPO_CONFIG;
  const grpoConfig: GrpoConfig = {
    ...g0,
    steps: o('grpo-steps', g0.steps),
    promptsPerStep: o('prompts-per-step', g0.promptsPerStep),
    groupSize: o('group-size', g0.groupSize),
    temperature: o('temperature', g0.temperature),
    maxNewTokens: o('max-new-tokens', g0.maxNewTokens),
    updatesPerRollout: o('updates-per-rollout', g0.updatesPerRollout),
    miniBatches: o('mini-batches', g0.miniBatches),
    dynamicSampling: o('dynamic-sampling', g0.dynamicSampling),
    scaleRewardsByStd: o('std-scale', g0.scaleRewardsByStd),
    evalEvery: o('eval-every', g0.evalEvery),
    checkpointEvery: o('checkpoint-every', g0.checkpointEvery),
    pieceDropout: grpoPieces ?? g0.pieceDropout ?? 0,
    seed,
  };
  const stepOpts: Partial<TrainStepOptions> = {
    lr: o('lr', mini ? M.grpoStep.lr : 1e-6),
    beta: o('beta', 0),
    entropyCoef: o('entropy-coef', M.grpoStep.entropyCoef),
    epsLow: o('clip-eps', 0.2),
    epsHigh: o('clip-eps', 0.2),
    aggregation: o('aggregation', 'token-mean') as TrainStepOptions['aggregation'],
    maxCompletionLength: grpoConfig.maxNewTokens,
    ...(mini ? { microBatchSize: M.grpoStep.microBatchSize, releaseMemory: M.grpoStep.releaseMemory } : {}),
  };
  const reward: Omit<RewardOptions, 'step'> = {
    ...(cli.length !== undefined ? { length: cli.length as RewardOptions['length'] } : {}),
    ...(cli.scale !== undefined ? { scale: cli.scale as RewardOptions['scale'] } : {}),
    ...(cli.granularity !== undefined ? { granularity: cli.granularity as RewardOptions['granularity'] } : {}),
    ...(cli.matching !== undefined ? { matching: cli.matching as RewardOptions['matching'] } : {}),
  };
  const log = new JsonlLog(path.join(outDir, 'metrics.jsonl'));
  const evalSetup = { tokenizer, template, stopTokenIds: stop, maxPromptTokens: grpoConfig.maxPromptTokens, maxNewTokens: grpoConfig.maxNewTokens };
  const pipelineFile = path.join(outDir, 'pipeline.json');
  const results: Record<string, { accuracy: number; reward: number; formatRate?: number; nameAccuracy?: number }> =
    cli.resume && fs.existsSync(pipelineFile) ? JSON.parse(fs.readFileSync(pipelineFile, 'utf8')) : {};
  const record = (stage: string, r: EvalResult) => {
    results[stage] = { accuracy: r.accuracy, reward: r.reward, formatRate: r.formatRate, nameAccuracy: r.nameAccuracy };
    fs.writeFileSync(pipelineFile, `${JSON.stringify(results, null, 2)}\n`);
    log.write({ phase: 'eval', stage, accuracy: r.accuracy, reward: r.reward, format_rate: r.formatRate, name_accuracy: r.nameAccuracy, n: r.n });
    fs.writeFileSync(path.join(outDir, `eval-${stage}.json`), `${JSON.stringify(r.samples, null, 1)}\n`);
    process.stderr.write(`${stage}: held-out accuracy ${fmt(r.accuracy)}, mean reward ${fmt(r.reward)}, format ${fmt(r.formatRate)}, tools named right ${fmt(r.nameAccuracy)} (n=${r.n})\n`);
  };
  process.stderr.write(
    `toolrl: ${baseName} (${(policy.numParameters() / 1e6).toFixed(2)}M parameters), ` +
      `${sftRows.length} SFT demonstrations, ${rlRows.length} RL prompts, ${evalRows.length} held-out rows -> ${outDir}\n`,
  );

  // ---- resume
  let resume: { step: number; batcher: never } | undefined;
  if (cli.resume) {
    const found = await resolveCheckpoint(path.join(outDir, 'checkpoint'));
    if (!found) throw new UsageError(`--resume: no checkpoint in ${outDir}`);
    policy.dispose();
    const ck = await loadCheckpoint(path.join(outDir, 'checkpoint'));
    policy = ck.policy;
    if (ck.state.phase === 'grpo') resume = { step: ck.state.step, batcher: ck.state.batcher as never };
    process.stderr.write(`resuming from ${found}: phase ${ck.state.phase}, step ${ck.state.step}\n`);
  }

  // ---- base
  if (!results.base) record('base', await evaluateHeldOut(evalRows, { policy, ...evalSetup }));

  // ---- SFT
  if (stages.includes('sft') && !results.sft) {
    const s = await runSft({ policy, tokenizer, template, rows: sftRows, config: sftConfig, stopTokenId: stop[0]!, log, label: 'sft ', ...(mini ? { step: M.sftStep } : {}) });
    process.stderr.write(`sft: ${s.steps} steps, ${s.tokens} tokens in ${s.seconds.toFixed(1)} s, final loss ${fmt(s.finalLoss)}\n`);
    record('sft', await evaluateHeldOut(evalRows, { policy, ...evalSetup }));
    await saveCheckpoint(path.join(outDir, 'checkpoint'), policy, { version: 1, phase: 'sft', step: s.steps }, modelFiles);
  }

  // ---- GRPO
  if (stages.includes('grpo') && grpoConfig.steps > 0) {
    const refPolicy = (stepOpts.beta ?? 0) > 0 ? await referencePolicy(policy, outDir, modelFiles, resume !== undefined) : undefined;
    await runGrpo({
      policy, refPolicy, tokenizer, template, rows: rlRows, evalRows, config: grpoConfig, step: stepOpts, reward,
      stopTokenIds: stop, log, outDir, modelFiles, resume, label: 'grpo',
    });
    refPolicy?.dispose();
    record('grpo', await evaluateHeldOut(evalRows, { policy, ...evalSetup }));
  }
  log.close();

  // ---- summary
  const seconds = (performance.now() - started) / 1000;
  const summary: Record<string, unknown> = {};
  for (const stage of ['base', 'sft', 'grpo']) if (results[stage]) summary[stage] = { accuracy: results[stage]!.accuracy, reward: results[stage]!.reward };
  summary.seconds = Math.round(seconds * 10) / 10;
  fs.writeFileSync(path.join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const metrics = readJsonl(path.join(outDir, 'metrics.jsonl'));
  const grpoRows = metrics.filter((m) => m.phase === 'grpo');
  fs.writeFileSync(
    path.join(outDir, 'curves.svg'),
    curvesSvg('GRPO on toolrl: reward and accuracy per step', [
      { name: 'reward mean', color: '#1f77b4', points: grpoRows.map((m) => [m.step as number, m.reward_mean as number]) },
      { name: 'accuracy', color: '#2ca02c', points: grpoRows.map((m) => [m.step as number, m.accuracy as number]) },
      { name: 'zero-variance', color: '#d62728', points: grpoRows.map((m) => [m.step as number, m.zero_variance_fraction as number]) },
    ]),
  );
  const rows = ['base', 'sft', 'grpo'].filter((s) => results[s]);
  const label: Record<string, string> = { base: 'base', sft: 'SFT', grpo: 'SFT+GRPO' };
  process.stdout.write(`\nHeld-out results (${evalRows.length} rows${mini ? ', tools unseen in training' : ''}):\n`);
  // "names": of the rows whose gold calls tools, the fraction naming exactly the right tools.
  process.stdout.write(`  ${'stage'.padEnd(10)} ${'accuracy'.padStart(9)} ${'reward'.padStart(8)} ${'names'.padStart(7)}\n`);
  for (const s of rows) {
    const r = results[s]!;
    process.stdout.write(`  ${label[s]!.padEnd(10)} ${fmt(r.accuracy).padStart(9)} ${fmt(r.reward).padStart(8)} ${(r.nameAccuracy === undefined ? 'n/a' : fmt(r.nameAccuracy)).padStart(7)}\n`);
  }
  process.stdout.write(
    `\n  time       ${seconds.toFixed(0)} s\n  summary    ${path.join(outDir, 'summary.json')}\n  logs       ${path.join(outDir, 'metrics.jsonl')}\n` +
      `  curves     ${path.join(outDir, 'curves.svg')}\n  checkpoint ${path.join(outDir, 'checkpoint')}\n`,
  );
  policy.dispose();
  return 0;
}

/** Whether a model directory holds a toolrl-mini model: its tokenizer.json is the mini tokenizer's. */
function isMiniModelDir(dir: string, miniJson: unknown): boolean {
  const file = path.join(dir, 'tokenizer.json');
  if (!fs.existsSync(file)) return false;
  try {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { model?: unknown };
    return JSON.stringify(json.model) === JSON.stringify((miniJson as { model?: unknown }).model);
  } catch {
    return false; // not JSON: Policy.load / Tokenizer.fromFile report it with the file's name
  }
}
