/**
 * The toolrl-mini base pretraining run (issue 8), top-down: corpus batch (sorted by length, in
 * micro-batches) → fused cross-entropy (corpus.ts, pretrainTokens) → AdamW with warmup-stable-decay
 * lr → periodic probes (held-out tools; unseen corpus requests) → atomic checkpoint.
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
import { writeFileAtomic } from '../io/atomic';
import { JsonlLog } from '../report/log';
import { Progress } from '../report/progress';
import { loadCheckpoint, resolveCheckpoint, saveCheckpoint, saveModelDir } from '../train/checkpoint';
import { sortByLength } from '../train/length-order';
import { renderToolCall } from '../data/toolrlFormat';
import { pieceSplitter } from './pieceDropout';
import { HELD_OUT_NAME_RE, pretrainExamples, pretrainSystemPrompt, pretrainTokens } from './corpus';
import { syntheticCall, syntheticTools, syntheticVerb } from '../data/mini/synthetic';
import { madeUpWord, pieceWord } from '../data/mini/rename';
import { Rng } from '../data/rng';
import { checkInteger } from '../data/validate';
import type { ChatMessage } from '../data/types';

export type PretrainConfig = PretrainMiniConfig;

/**
 * Warmup-stable-decay: linear warm-up, `lr` held, cosine to minLr over the last decayFraction of the
 * steps. Held rather than decayed from the start because the corpus changes phase (drill, warm-up
 * lists, full corpus) and each phase needs a full learning rate (measured: v6 reached its corpus
 * phase at lr 1e-3 of a cosine and relearned slowly).
 */
export function pretrainLr(c: PretrainConfig, step: number): number {
  if (step < c.warmupSteps) return (c.lr * (step + 1)) / c.warmupSteps;
  const decayStart = Math.max(c.warmupSteps, Math.round(c.steps * (1 - c.decayFraction)));
  if (step < decayStart) return c.lr;
  const t = (step - decayStart) / Math.max(1, c.steps - decayStart);
  return c.minLr + 0.5 * (c.lr - c.minLr) * (1 + Math.cos(Math.PI * Math.min(1, t)));
}

export interface ProbeResult {
  /** Held-out requests (unseen tools) whose every call names the right tool. */
  nameAccuracy: number;
  /** ... and whose calls equal the gold calls exactly. */
  callAccuracy: number;
  n: number;
}

/** Greedy answers to single-request prompts, scored by the names and the exact calls they give. */
async function probeCalls(policy: Policy, tokenizer: Tokenizer, examples: { messages: ChatMessage[]; gold: string[] }[]): Promise<ProbeResult> {
  const template = ChatTemplate.chatml();
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

/** Held-out probe in the corpus's own format: plain (not renamed) held-out episodes with calls. */
export async function probeHeldOut(policy: Policy, tokenizer: Tokenizer, seed: number, n: number): Promise<ProbeResult> {
  const world = miniWorld({ seed });
  const eps = [];
  for (let i = 0; eps.length < n && i < n * 10; i++) {
    const ep = sampleEpisode(world.seed, 'heldOut', i, world.config, false);
    if (ep.calls.length > 0) eps.push(ep);
  }
  return probeCalls(
    policy,
    tokenizer,
    eps.map((ep, i) => ({
      messages: [
        { role: 'system' as const, content: pretrainSystemPrompt(ep.tools, Rng.derive(seed, 'probe', i)) },
        { role: 'user' as const, content: ep.request },
      ],
      gold: ep.calls.map(renderToolCall),
    })),
  );
}

/**
 * The same on corpus requests the run never trains on (indices far past its last step): whether
 * copying names from a list works at all, before it transfers to held-out tools.
 */
export async function probeCorpus(policy: Policy, tokenizer: Tokenizer, config: PretrainConfig, n: number): Promise<ProbeResult> {
  const examples: { messages: ChatMessage[]; gold: string[] }[] = [];
  const world = miniWorld({ seed: config.seed });
  for (let i = 1e9; examples.length < n; i++) {
    const [e] = pretrainExamples(config.seed, i, 1, world, { ...config.corpus, drillShare: 0 });
    if ((e!.task !== 'call' && e!.task !== 'synthCall') || !e!.answer.startsWith('{')) continue;
    const firstUser = e!.messages.findIndex((m) => m.role === 'user');
    examples.push({ messages: e!.messages.slice(0, firstUser + 1), gold: e!.answer.split('\n') });
  }
  return probeCalls(policy, tokenizer, examples);
}

/**
 * How the topics of a shared-verb probe are spelled: `corpus` at the corpus's share of made-up
 * topics (the model card's figure), or all of one kind — `known` words of the word bank (seen as
 * topics throughout pretraining), `madeUp` syllable words (`vorpak`), `pieces` words spelled in
 * random vocabulary pieces (`weoorms`), which is how the tokenizer spells held-out words
 * (`v ac u um`, `c on c er ts`).
 */
export type TopicSpelling = 'corpus' | 'known' | 'madeUp' | 'pieces';

/**
 * Choosing by the topic alone: lists of 3 synthetic tools that share one verb (`check_bike`,
 * `check_vorpak`, `check_ticket`), one asked for. Chance is 1/3. Why: held-out requests rarely
 * repeat their tool's verb ("Vacuum the kitchen" for `start_vacuum`) and share a noun with it
 * instead, while the corpus's synthetic lists could be told apart by the verb alone (lib/config.ts,
 * corpus.sharedVerbLists). `topics` (TopicSpelling) splits it by how familiar the topic word is:
 * the gap between `known` and `pieces` is the gap between corpus tools and held-out tools. Its own
 * stream per spelling, never trained on.
 */
export async function probeSharedVerb(policy: Policy, tokenizer: Tokenizer, config: PretrainConfig, n: number, topics: TopicSpelling = 'corpus'): Promise<ProbeResult> {
  const examples: { messages: ChatMessage[]; gold: string[] }[] = [];
  const madeUpShare = topics === 'corpus' ? config.corpus.madeUpTopics : topics === 'known' ? 0 : 1;
  const makeWord = topics === 'pieces' ? pieceWord : madeUpWord;
  for (let i = 0; examples.length < n; i++) {
    // The corpus spelling keeps the stream the model card's figure was first measured on.
    const rng = topics === 'corpus' ? Rng.derive(config.seed, 'probe-shared-verb', i) : Rng.derive(config.seed, 'probe-shared-verb', topics, i);
    const tools = syntheticTools(rng, 3, 0, madeUpShare, makeWord, syntheticVerb(rng));
    const names = tools.map((t) => t.view.name);
    const text = [...names, ...tools.flatMap((t) => [...t.view.paramNames.values()])].join(' ');
    if (new Set(names).size < 3 || HELD_OUT_NAME_RE.test(text)) continue;
    const asked = tools[rng.int(3)]!;
    const call = syntheticCall(rng, asked);
    examples.push({
      messages: [
        { role: 'system', content: pretrainSystemPrompt(tools.map((t) => t.view), rng) },
        { role: 'user', content: call.request },
      ],
      gold: [renderToolCall({ name: asked.view.name, parameters: call.parameters })],
    });
  }
  return probeCalls(policy, tokenizer, examples);
}

/**
 * The run. `resume`: continue from the work directory's checkpoint. `stopAfter`: stop (checkpointed)
 * after that step, to continue later with `resume` — the result is the same as one uninterrupted
 * run; nothing is shipped and the result is undefined until the last step.
 */
export async function runPretrain(config: PretrainConfig, opts: { resume?: boolean; stopAfter?: number } = {}): Promise<ProbeResult | undefined> {
  if (opts.stopAfter !== undefined) checkInteger(opts.stopAfter, 'stopAfter', 1);
  const world = miniWorld({ seed: config.seed });
  const tokenizer = await world.tokenizer();
  const pieces = pieceSplitter(tokenizer, config.corpus.pieceDropout ?? 0, 'corpus.pieceDropout');
  const modelConfig = miniModelConfig(tokenizer.vocabSize, config.model); // a bad shape fails here, before any file is written
  const template = ChatTemplate.chatml();
  fs.mkdirSync(config.workDir, { recursive: true });
  const ckDir = path.join(config.workDir, 'checkpoint');
  let policy: Policy;
  let start = 0;
  let secondsBefore = 0; // wall time of earlier segments of a resumed run
  if (opts.resume && (await resolveCheckpoint(ckDir))) {
    const ck = await loadCheckpoint(ckDir);
    policy = ck.policy;
    start = ck.state.step;
    secondsBefore = typeof ck.state.seconds === 'number' ? ck.state.seconds : 0;
    process.stderr.write(`pretrain: resuming at step ${start}\n`);
  } else {
    policy = await Policy.create(modelConfig, { seed: config.seed });
  }
  const logPath = path.join(config.workDir, 'metrics.jsonl');
  // Resumed: steps logged after the checkpoint are redone, so their old records go.
  if (start > 0 && fs.existsSync(logPath)) {
    const kept = fs.readFileSync(logPath, 'utf8').split('\n').filter((l) => l !== '' && (JSON.parse(l) as { step: number }).step <= start);
    await writeFileAtomic(logPath, kept.map((l) => `${l}\n`).join(''));
  }
  const log = new JsonlLog(logPath, { truncate: start === 0 });
  const progress = new Progress('pretrain', config.steps, start);
  const modelFiles = { 'tokenizer.json': JSON.stringify(tokenizer.json), 'tokenizer_config.json': JSON.stringify(miniTokenizerConfig(), null, 2) };
  const t0 = performance.now();
  const end = Math.min(config.steps, opts.stopAfter ?? config.steps);
  for (let step = start; step < end; step++) {
    // ---- batch: examples [step * B, (step + 1) * B) of the corpus, so resume continues exactly
    const exs = pretrainExamples(config.seed, step * config.batchSize, config.batchSize, world, config.corpus);
    const seqs = sortByLength(
      exs.map((e, k) => {
        const x = pretrainTokens(e, tokenizer, template, config.corpus.lossOn);
        // Drawn only when set, so a run without it trains on the batches shipped before it.
        if (pieces === undefined) return x;
        const rng = Rng.derive(config.seed, 'piece-dropout', step * config.batchSize + k);
        return { prompt: x.prompt, completion: pieces(x.completion, rng) };
      }),
      (x) => x.prompt.length + x.completion.length,
    );
    const prompts = seqs.map((x) => x.prompt);
    const completions = seqs.map((x) => x.completion);
    const lr = pretrainLr(config, step);
    const ts = performance.now();
    const m = await policy.sftStep({ prompts, completions }, { lr, weightDecay: config.weightDecay, microBatchSize: config.microBatchSize, releaseMemory: config.releaseMemory });
    const seconds = (performance.now() - ts) / 1000;
    const tokens = prompts.reduce((a, p, i) => a + p.length + completions[i]!.length, 0);
    const rec: Record<string, unknown> = { phase: 'pretrain', step: step + 1, loss: m.loss, lr, grad_norm: m.gradNorm, tokens_per_s: tokens / seconds };
    const done = step + 1;
    if (done % config.evalEvery === 0 || done === config.steps) {
      const probe = await probeHeldOut(policy, tokenizer, config.seed, config.evalExamples);
      const corpus = await probeCorpus(policy, tokenizer, config, config.evalExamples);
      rec.probe = probe;
      rec.probe_corpus = corpus;
      process.stderr.write(
        `\npretrain step ${done}: names right — held-out ${probe.nameAccuracy.toFixed(3)}, corpus ${corpus.nameAccuracy.toFixed(3)}; ` +
          `calls right — held-out ${probe.callAccuracy.toFixed(3)}, corpus ${corpus.callAccuracy.toFixed(3)}\n`,
      );
    }
    log.write(rec);
    if (done % config.checkpointEvery === 0 || done === end) {
      const seconds = secondsBefore + (performance.now() - t0) / 1000;
      await saveCheckpoint(ckDir, policy, { version: 1, phase: 'pretrain', step: done, seconds }, modelFiles);
    }
    progress.update(done, `loss ${m.loss.toFixed(3)} lr ${lr.toExponential(1)} ${(tokens / seconds).toFixed(0)} tok/s`);
  }
  log.close();
  if (end < config.steps) {
    policy.dispose();
    process.stderr.write(`pretrain: stopped after step ${end} of ${config.steps}; continue with --resume\n`);
    return undefined;
  }
  progress.done();
  // ---- the shipped checkpoint: bf16 weights, tokenizer, chat template, how it was made
  await saveModelDir(policy, config.outDir, modelFiles, { dtype: 'bfloat16' });
  const parameters = policy.numParameters();
  policy.dispose();
  const seconds = Math.round(secondsBefore + (performance.now() - t0) / 1000);
  return (await describeBase(config, { seconds, parameters })).probe;
}

/** What pretrain.json records about a finished base. */
export interface BaseDescription {
  config: PretrainConfig;
  probe: ProbeResult;
  corpusProbe: ProbeResult;
  sharedVerbProbe: ProbeResult;
  /** The shared-verb probe with every topic spelled one way (TopicSpelling). */
  topicProbes: Record<Exclude<TopicSpelling, 'corpus'>, ProbeResult>;
  seconds: number;
  parameters: number;
}

/**
 * Probes the finished base in `config.outDir` and writes its pretrain.json and MODEL_CARD.md. The
 * figures are the shipped (bf16) model's, on more requests than the periodic probes use.
 */
export async function describeBase(config: PretrainConfig, made: { seconds: number; parameters: number }): Promise<BaseDescription> {
  const tokenizer = await miniWorld({ seed: config.seed }).tokenizer();
  const shipped = await Policy.load(config.outDir);
  const probe = await probeHeldOut(shipped, tokenizer, config.seed, config.finalEvalExamples);
  const corpusProbe = await probeCorpus(shipped, tokenizer, config, config.finalEvalExamples);
  const sharedVerbProbe = await probeSharedVerb(shipped, tokenizer, config, config.finalEvalExamples);
  const topicProbes = {
    known: await probeSharedVerb(shipped, tokenizer, config, config.finalEvalExamples, 'known'),
    madeUp: await probeSharedVerb(shipped, tokenizer, config, config.finalEvalExamples, 'madeUp'),
    pieces: await probeSharedVerb(shipped, tokenizer, config, config.finalEvalExamples, 'pieces'),
  };
  shipped.dispose();
  const d: BaseDescription = { config, probe, corpusProbe, sharedVerbProbe, topicProbes, seconds: made.seconds, parameters: made.parameters };
  await writeFileAtomic(path.join(config.outDir, 'pretrain.json'), `${JSON.stringify(d, null, 2)}\n`);
  await writeFileAtomic(path.join(config.outDir, 'MODEL_CARD.md'), modelCard(d, config.outDir));
  return d;
}

/** MODEL_CARD.md of the shipped base: how it was made and what it can and cannot do (issue 8). */
function modelCard(m: BaseDescription, outDir: string): string {
  const bytes = fs.readdirSync(outDir).reduce((a, f) => a + fs.statSync(path.join(outDir, f)).size, 0);
  const c = m.config;
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  // The shape as written to config.json, so the card cannot drift from the weights.
  const shape = JSON.parse(fs.readFileSync(path.join(outDir, 'config.json'), 'utf8')) as Record<string, number>;
  return `# toolrl-mini-base

A ${(m.parameters / 1e6).toFixed(2)}M-parameter Qwen2-shaped model (hidden ${shape.hidden_size}, ${shape.num_hidden_layers} layers, ${shape.num_attention_heads} heads / ${shape.num_key_value_heads} KV heads,
SwiGLU ${shape.intermediate_size}, tied embeddings; vocabulary ${shape.vocab_size!.toLocaleString('en-US')}: the toolrl-mini byte-level BPE in tokenizer.json),
pretrained from scratch by this project to be the starting point of \`node train.js\` — the role the
paper's pretrained instruct models play. Weights stored in bfloat16 (${(bytes / 1e6).toFixed(1)} MB in this directory).
Loads with \`Policy.load('${c.outDir}')\` like any Hugging Face model directory.

## How it was made
- Command: \`npm run pretrain:mini\` (settings: \`DEFAULT_PRETRAIN_MINI\` in lib/config.ts; resumable with
  \`-- --resume\`). Seed ${c.seed}; ${c.steps} steps of ${c.batchSize} examples; AdamW, lr ${c.lr} after ${c.warmupSteps} warm-up
  steps, held, then cosine to ${c.minLr} over the last ${Math.round(100 * c.decayFraction)}% of the steps; weight decay ${c.weightDecay};
  loss on ${c.corpus.lossOn === 'all' ? 'every token after the first header line (tool lists, requests and answers)' : 'the answer tokens'}.
- Wall time: ${(m.seconds / 60).toFixed(1)} minutes on the machine that made it (2 CPU cores).
- Data: generated on the fly by lib/pretrain/corpus.ts, never stored. Requests for the mini world's
  *train* tools with every tool and parameter renamed per example (descriptive or made-up names), and
  synthetic tools from a word bank (${pct(c.corpus.madeUpTopics)} with made-up topic words${(c.corpus.pieceWords ?? 0) > 0 ? `, ${pct(c.corpus.pieceWords)} of those
  spelled from random vocabulary pieces so every token is practised in copying` : ''}${(c.corpus.sharedVerbLists ?? 0) > 0 ? `; ${pct(c.corpus.sharedVerbLists)} of
  the lists after the warm-up with one verb for all their tools, so only the topic tells them apart` : ''})${(c.corpus.unguessableNames ?? 0) > 0 ? `;
  after the warm-up, ${pct(c.corpus.unguessableNames)} of the examples list synthetic tools whose names join the topic to a made-up
  word and are asked for by the topic alone, so the name must be found in the list and copied` : ''}; copy drills ("Repeat after me: ...")${(c.corpus.keywordSwap ?? 0) > 0 ? `;
  in ${pct(c.corpus.keywordSwap)} of the train-tool requests, the words shared with the tool made up` : ''};
  answers are bare JSON call lines
  (\`{"name": ..., "parameters": {...}}\`) or plain replies; plus questions about the listed tools (which
  tool does X, its parameters, the list). The held-out tools never occur (checked per example).${(c.corpus.pieceDropout ?? 0) > 0 ? `
  Piece dropout ${c.corpus.pieceDropout}: each word of a batch split, with that chance and again in its halves, into the
  tokens its BPE merge joined, the same way wherever it occurs in the example (lib/pretrain/pieceDropout.ts).` : ''}

## What it can do
- Read a tool list in the corpus's format and answer a request with JSON calls, copying tool names,
  parameter names and values from the prompt. Greedy, in that format: on ${m.corpusProbe.n} corpus requests
  it never trained on (freshly renamed tools), tools named right ${pct(m.corpusProbe.nameAccuracy)}, calls exactly right
  ${pct(m.corpusProbe.callAccuracy)}; on ${m.probe.n} requests for the mini world's held-out tools (never seen), tools named
  right ${pct(m.probe.nameAccuracy)}, calls exactly right ${pct(m.probe.callAccuracy)}; on ${m.sharedVerbProbe.n} lists of three synthetic
  tools sharing one verb (only the topic tells them apart; chance 33%), tools named right ${pct(m.sharedVerbProbe.nameAccuracy)}; by how the
  topic word is spelled: a word of the corpus's word bank ${pct(m.topicProbes.known.nameAccuracy)}, a made-up word in syllables
  ${pct(m.topicProbes.madeUp.nameAccuracy)}, a made-up word in random vocabulary pieces ${pct(m.topicProbes.pieces.nameAccuracy)} (held-out words are
  spelled in pieces too: \`v ac u um\`).

## What it cannot do
- Write the ToolRL answer format (\`<think>\`, \`<tool_call>\`, \`<response>\`): it was never shown it;
  that is what the SFT and GRPO stages of \`node train.js\` teach.
- Anything outside the toolrl-mini world: it knows a few thousand words of tool-use English, no
  general language, no facts.
`;
}
