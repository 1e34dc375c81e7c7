/**
 * The toolrl-mini base pretraining run (issue 8), top-down: corpus batch → fused cross-entropy on
 * the answer tokens → AdamW with warm-up + cosine lr → periodic held-out probe → atomic checkpoint.
 * Resumable from its work directory; finishes by writing the model (bf16) and its tokenizer in the
 * Hugging Face layout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { PretrainMiniConfig } from '../config';
import { miniModelConfig, miniTokenizerConfig, miniWorld } from '../data/mini';
import { sampleEpisode } from '../data/mini/world';
import { ChatTemplate } from '../data/template';
import type { Tokenizer } from '../data/tokenizer';
import { Policy } from '../policy';
import { pyEq, tryPyLoads } from '../pycompat';
import { JsonlLog } from '../report/log';
import { Progress } from '../report/progress';
import { loadCheckpoint, resolveCheckpoint, saveCheckpoint } from '../train/checkpoint';
import { renderToolCall } from '../data/toolrlFormat';
import { pretrainExampleFrom, pretrainExamples } from './corpus';
import { Rng } from '../data/rng';

export type PretrainConfig = PretrainMiniConfig;

export function pretrainLr(c: PretrainConfig, step: number): number {
  if (step < c.warmupSteps) return (c.lr * (step + 1)) / c.warmupSteps;
  const t = (step - c.warmupSteps) / Math.max(1, c.steps - c.warmupSteps);
  return c.minLr + 0.5 * (c.lr - c.minLr) * (1 + Math.cos(Math.PI * Math.min(1, t)));
}

export interface ProbeResult {
  /** Held-out requests (unseen tools) whose every call names the right tool. */
  nameAccuracy: number;
  /** ... and whose calls equal the gold calls exactly. */
  callAccuracy: number;
  n: number;
}

/** Held-out probe in the corpus's own format: plain (not renamed) held-out episodes with calls. */
export async function probeHeldOut(policy: Policy, tokenizer: Tokenizer, seed: number, n: number): Promise<ProbeResult> {
  const world = miniWorld({ seed });
  const template = ChatTemplate.chatml();
  const eps = [];
  for (let i = 0; eps.length < n && i < n * 10; i++) {
    const ep = sampleEpisode(world.seed, 'heldOut', i, world.config, false);
    if (ep.calls.length > 0) eps.push(ep);
  }
  const examples = eps.map((ep, i) => {
    const ex = pretrainExampleFrom(ep, Rng.derive(seed, 'probe', i));
    return { ...ex, messages: [ex.messages[0]!, { role: 'user' as const, content: ep.request }], gold: ep.calls.map(renderToolCall) };
  });
  const prompts = examples.map((e) => tokenizer.encode(template.render(e.messages, { addGenerationPrompt: true })));
  const eos = tokenizer.tokenToId('<|im_end|>')!;
  const out = await policy.generate(prompts, { temperature: 0, maxNewTokens: 96, stopTokenIds: [eos] });
  let names = 0, calls = 0;
  examples.forEach((e, k) => {
    const ids = out.ids[k]!;
    const text = tokenizer.decode(ids[ids.length - 1] === eos ? ids.subarray(0, -1) : ids, { skipSpecialTokens: true });
    const got = text.split('\n').map((l) => tryPyLoads(l.trim()));
    const want = e.gold.map((l) => tryPyLoads(l));
    const nameOf = (v: unknown) => (v instanceof Map ? v.get('name') : undefined);
    if (got.length === want.length && want.every((w, i) => pyEq(nameOf(w) ?? null, nameOf(got[i]) ?? null))) names++;
    if (got.length === want.length && want.every((w, i) => got[i] !== undefined && pyEq(w!, got[i]!))) calls++;
  });
  return { nameAccuracy: names / examples.length, callAccuracy: calls / examples.length, n: examples.length };
}

export async function runPretrain(config: PretrainConfig, opts: { resume?: boolean } = {}): Promise<ProbeResult> {
  const world = miniWorld({ seed: config.seed });
  const tokenizer = await world.tokenizer();
  const template = ChatTemplate.chatml();
  const eos = tokenizer.tokenToId('<|im_end|>')!;
  fs.mkdirSync(config.workDir, { recursive: true });
  const ckDir = path.join(config.workDir, 'checkpoint');
  let policy: Policy;
  let start = 0;
  if (opts.resume && (await resolveCheckpoint(ckDir))) {
    const ck = await loadCheckpoint(ckDir);
    policy = ck.policy;
    start = ck.state.step;
    process.stderr.write(`pretrain: resuming at step ${start}\n`);
  } else {
    policy = await Policy.create(miniModelConfig(tokenizer.vocabSize), { seed: config.seed });
  }
  const log = new JsonlLog(path.join(config.workDir, 'metrics.jsonl'), { truncate: start === 0 });
  const progress = new Progress('pretrain', config.steps);
  const modelFiles = { 'tokenizer.json': JSON.stringify(tokenizer.json), 'tokenizer_config.json': JSON.stringify(miniTokenizerConfig(), null, 2) };
  const t0 = performance.now();
  let probe: ProbeResult | undefined;
  for (let step = start; step < config.steps; step++) {
    // ---- batch: examples [step * B, (step + 1) * B) of the corpus, so resume continues exactly
    const exs = pretrainExamples(config.seed, step * config.batchSize, config.batchSize, world);
    const prompts = exs.map((e) => tokenizer.encode(template.render(e.messages, { addGenerationPrompt: true })));
    const completions = exs.map((e) => Int32Array.from([...tokenizer.encode(e.answer), eos]));
    const lr = pretrainLr(config, step);
    const ts = performance.now();
    const m = await policy.sftStep({ prompts, completions }, { lr, weightDecay: config.weightDecay });
    const seconds = (performance.now() - ts) / 1000;
    const tokens = prompts.reduce((a, p, i) => a + p.length + completions[i]!.length, 0);
    const rec: Record<string, unknown> = { phase: 'pretrain', step: step + 1, loss: m.loss, lr, grad_norm: m.gradNorm, tokens_per_s: tokens / seconds };
    const done = step + 1;
    if (done % config.evalEvery === 0 || done === config.steps) {
      probe = await probeHeldOut(policy, tokenizer, config.seed, config.evalExamples);
      rec.probe = probe;
      process.stderr.write(`\npretrain step ${done}: held-out name accuracy ${probe.nameAccuracy.toFixed(3)}, call accuracy ${probe.callAccuracy.toFixed(3)}\n`);
    }
    log.write(rec);
    if (done % config.checkpointEvery === 0 || done === config.steps) {
      await saveCheckpoint(ckDir, policy, { version: 1, phase: 'pretrain', step: done }, modelFiles);
    }
    progress.update(done, `loss ${m.loss.toFixed(3)} lr ${lr.toExponential(1)} ${(tokens / seconds).toFixed(0)} tok/s`);
  }
  progress.done();
  log.close();
  probe ??= await probeHeldOut(policy, tokenizer, config.seed, config.evalExamples);
  // ---- the shipped checkpoint: bf16 weights, tokenizer, chat template, how it was made
  await policy.save(config.outDir, { dtype: 'bfloat16' });
  for (const [name, content] of Object.entries(modelFiles)) fs.writeFileSync(path.join(config.outDir, name), content);
  fs.writeFileSync(
    path.join(config.outDir, 'pretrain.json'),
    `${JSON.stringify({ config, probe, seconds_this_run: Math.round((performance.now() - t0) / 1000), parameters: policy.numParameters() }, null, 2)}\n`,
  );
  policy.dispose();
  return probe;
}
