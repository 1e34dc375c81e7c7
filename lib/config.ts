/**
 * Every option of toolrl, its default, unit and range — the one place defaults live (STYLE.md §7).
 * Native code receives fully resolved values and applies no defaults of its own.
 */

// ---------------------------------------------------------------------------------------------
// Model

/**
 * A Qwen2-family decoder's shape, camelCase mirror of Hugging Face's config.json.
 * Real sizes, for orientation: Qwen2.5-1.5B-Instruct has vocab 151936, hidden 1536, 28 layers,
 * 12 heads / 2 KV heads, ffn 8960, rope_theta 1e6, tied embeddings, q/k/v bias.
 */
export interface ModelConfig {
  /** 'qwen2' (q/k/v bias) or 'llama' (no bias, optional llama3 rope scaling). */
  modelType: 'qwen2' | 'llama';
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  intermediateSize: number;
  ropeTheta: number;
  rmsNormEps: number;
  tieWordEmbeddings: boolean;
  /** Bias on q/k/v projections. Qwen2 always has it; Llama has `attention_bias` (default false). */
  attentionBias: boolean;
  maxPositionEmbeddings: number;
  /** Storage dtype written to config.json; compute is float32 on CPU. */
  torchDtype: 'float32' | 'float16' | 'bfloat16';
  /** Llama 3.x rope scaling (`rope_scaling.rope_type == "llama3"`), or null. */
  ropeScaling: null | {
    ropeType: 'llama3';
    factor: number;
    lowFreqFactor: number;
    highFreqFactor: number;
    originalMaxPositionEmbeddings: number;
  };
  bosTokenId: number | null;
  eosTokenId: number | number[] | null;
}

// ---------------------------------------------------------------------------------------------
// Runtime

/**
 * Thread pools. ATen's intra-op pool runs element-wise ops and attention; the BLAS pool
 * (OpenBLAS's own, which ATen does not control) runs the matrix products. On 2 cores, ATen 1 +
 * BLAS 2 was up to 1.9x faster than 2 + 2 (../notes: oversubscription). `0` = leave as is
 * (ATen's default is half the cores; OpenBLAS's is all of them). Env overrides:
 * TOOLRL_ATEN_THREADS, TOOLRL_BLAS_THREADS. Both pools are process-wide.
 */
export const DEFAULT_THREADS = Object.freeze({ aten: 1, blas: 0 });

// ---------------------------------------------------------------------------------------------
// Generation (policy.generate)

export interface GenerateOptions {
  /** Samples per prompt (GRPO's group size G). Integer >= 1. */
  n: number;
  /** Tokens to generate at most per sample. Integer >= 1. */
  maxNewTokens: number;
  /** Softmax temperature; 0 = greedy (argmax). >= 0. */
  temperature: number;
  /** Nucleus sampling mass in (0, 1]; 1 = off. */
  topP: number;
  /** Keep only the k most likely tokens; 0 = off. */
  topK: number;
  /** RNG seed (integer >= 0). Same seed and inputs give the same samples. */
  seed: number;
  /** Token ids that end a sample (kept as its last token), e.g. EOS or `<|im_end|>`. */
  stopTokenIds: number[];
  /** Most rows decoded at once (memory cap); 0 = all prompts x n in one batch. */
  batchSize: number;
  /** Prefill each prompt once and copy its KV cache to its n samples (off only to measure the gain). */
  sharePrefix: boolean;
}

export const DEFAULT_GENERATE_OPTIONS: Readonly<GenerateOptions> = Object.freeze({
  n: 1,
  maxNewTokens: 256,
  temperature: 1.0, // the paper's rollout temperature (DESIGN.md GRPO table)
  topP: 1.0,
  topK: 0,
  seed: 0,
  stopTokenIds: [],
  batchSize: 0,
  sharePrefix: true,
});

// ---------------------------------------------------------------------------------------------
// Scoring (policy.logprobs)

export interface LogprobsOptions {
  /**
   * Sequences with the same prefix before their `start` (a GRPO group's samples behind one prompt)
   * share one row of the forward: the prefix once, each continuation after it with a tree-shaped
   * mask (native/model/packing.h), as TrainStepOptions.sharePrompts does for the step. The same
   * log-probs up to float rounding; false is the one-row-per-sequence reference.
   */
  sharePrompts: boolean;
}

export const DEFAULT_LOGPROBS_OPTIONS: Readonly<LogprobsOptions> = Object.freeze({ sharePrompts: true });

// ---------------------------------------------------------------------------------------------
// Training loops (lib/train/sft.ts, lib/train/grpo.ts) and the toolrl-mini pipeline (node train.js)

export interface SftConfig {
  /** Passes over the demonstrations. */
  epochs: number;
  /** Demonstrations per optimisation step. */
  batchSize: number;
  lr: number;
  /** Sequences per forward/backward (0 = the whole batch). */
  microBatchSize: number;
  /** Prompt tokens kept (left truncation, as veRL's truncation='left'). */
  maxPromptTokens: number;
  seed: number;
  /**
   * Piece dropout on the demonstrations (lib/pretrain/pieceDropout.ts; 0 or absent: off): each
   * step, each word of a demonstration split with this chance into the tokens its BPE merge joined,
   * the same way in its prompt and answer.
   */
  pieceDropout?: number;
}

export interface GrpoConfig {
  /** Optimisation steps (each: one rollout of promptsPerStep x groupSize samples). */
  steps: number;
  promptsPerStep: number;
  /** Samples per prompt, G. Paper: 4 (rollout.n); larger groups fight zero-variance groups. */
  groupSize: number;
  maxNewTokens: number;
  maxPromptTokens: number;
  /** Rollout temperature. Paper: 1.0. */
  temperature: number;
  topP: number;
  /** Passes over each rollout batch (ratio and clip become active after the first). */
  updatesPerRollout: number;
  /** Mini-batches per pass (the paper: 4 per step). */
  miniBatches: number;
  /** Divide advantages by the group std (GRPO); false = Dr. GRPO's mean-centring only. */
  scaleRewardsByStd: boolean;
  /** Dynamic sampling (DAPO): drop groups whose rewards are all equal and refill the batch. */
  dynamicSampling: boolean;
  /** Extra rollouts per step when refilling (dynamic sampling). */
  maxRefills: number;
  /** Held-out evaluation every N steps (0 = only at the end). */
  evalEvery: number;
  /** Checkpoint every N steps (0 = only at the end). */
  checkpointEvery: number;
  seed: number;
  /**
   * Piece dropout on the rollout prompts (lib/pretrain/pieceDropout.ts; 0 or absent: off): each step,
   * each word of a prompt split with this chance into the tokens its BPE merge joined, so the policy
   * is rewarded for reading names however they are spelled. A prompt that would outgrow
   * maxPromptTokens is kept canonical.
   */
  pieceDropout?: number;
}

export const DEFAULT_SFT_CONFIG: Readonly<SftConfig> = Object.freeze({
  epochs: 2,
  batchSize: 16,
  lr: 1e-5,
  microBatchSize: 0,
  maxPromptTokens: 2048, // the paper's max prompt length
  seed: 0,
  pieceDropout: 0,
});

export const DEFAULT_GRPO_CONFIG: Readonly<GrpoConfig> = Object.freeze({
  steps: 100,
  promptsPerStep: 8,
  groupSize: 4, // paper rollout.n (DESIGN.md)
  maxNewTokens: 1024, // paper's max response length
  maxPromptTokens: 2048,
  temperature: 1.0,
  topP: 1.0,
  updatesPerRollout: 1,
  miniBatches: 1,
  scaleRewardsByStd: true,
  dynamicSampling: false,
  maxRefills: 2,
  evalEvery: 0,
  checkpointEvery: 0,
  seed: 0,
  pieceDropout: 0,
});

/**
 * `node train.js` with no arguments: toolrl-mini in minutes on 2 cores (DESIGN.md "The embedded
 * default"; sizes from ../notes/MINI-WORLD-FEASIBILITY.md). base -> SFT on a few hundred
 * demonstrations -> GRPO with the ToolRL reward, evaluated on held-out tools.
 */
export const DEFAULT_MINI_PIPELINE = Object.freeze({
  seed: 0,
  /** The pretrained base (issue 8), relative to the package root; random init when absent. */
  baseModel: 'assets/toolrl-mini-base',
  sftExamples: 400,
  heldOutExamples: 200,
  rlPrompts: 2000,
  /**
   * Fraction of SFT demonstrations and RL prompts whose tools and parameters are renamed freshly
   * (lib/data/mini/rename.ts), so training keeps rewarding reading names from the list rather than
   * recalling the train tools' names. Measured from the shipped base, SFT only, held-out accuracy /
   * reward / names, seed 0 (400 demonstrations x 6 epochs): 0.5 -> 0.095 / -1.47 / 0.084;
   * 0.8 -> 0.120 / -1.16 / 0.157; 0.9 -> 0.070 / -1.52 / 0.060; 1.0 -> 0.115 / -1.55 / 0.084.
   * 0.8 with 800 x 3 epochs (same tokens, less memorising: final loss 0.11 vs 0.04), seeds 0 / 1 / 2:
   * 0.125 / -1.27 / 0.169, 0.095 / -1.46 / 0.096, 0.090 / -1.39 / 0.104 — against 0.5 with 400 x 6:
   * 0.095 / -1.47 / 0.084, 0.110 / -1.58 / 0.060, 0.090 / -1.42 / 0.079. A better SFT, but GRPO
   * (lr 3e-4) then gained nothing on held-out tools (SFT+GRPO seeds 0 / 1: 0.115 / -1.28,
   * 0.090 / -1.40; with RL prompts renamed at 0.5: 0.115 / -1.32, 0.090 / -1.40), while from 0.5 with
   * 400 x 6 it raises the held-out reward in every seed (grpoStep) — so the default stays there.
   */
  renamedFraction: 0.5,
  /**
   * In renamed rows, the chance that each listed tool is renamed (1: all of them; below 1 one list
   * mixes familiar and fresh names, as held-out prompts do). Measured, SFT only, seed 0, 800 x 3,
   * fraction 0.8 / 1.0 at share 0.5: names 0.054 / 0.096 against 0.169 at share 1. Re-measured
   * from the shipped base (2026-12-07, 400 x 6, fraction 0.5, one thread each), names seeds 0 / 1 / 2:
   * share 0.5 -> 0.275 / 0.237 / 0.103 against 0.203 / 0.163 / 0.135 at 1; with keywordSwap 0.5 too
   * 0.183 / 0.275 / 0.103; with novelTool 0.3 too 0.203 / 0.163 (seeds 0 / 1). Fraction 0.8 at
   * share 0.5 (seed 0): format 0.455, names 0.072. Which held-out tools are named right flips
   * between seeds (seed 0: start_vacuum 14/19, find_concerts 0/15; seed 1: 0/18 and 0/14;
   * default, seed 0: 2/19 and 7/15): the gain in the mean is not a matching skill; the default stays.
   */
  renameShare: 1,
  /**
   * In renamed rows, the chance that each word of a fresh name is spelled in vocabulary pieces
   * rather than syllables (lib/data/mini/rename.ts). Measured from the shipped base, SFT only,
   * held-out accuracy / reward / names, seeds 0 / 1 / 2: 1 -> 0.155 / -1.00 / 0.176,
   * 0.120 / -1.29 / 0.150, 0.135 / -1.16 / 0.135; 0 -> 0.140 / -1.25 / 0.144, 0.090 / -1.50 / 0.06,
   * 0.130 / -1.39 / 0.07. Names better in every seed: misspelt copies fall (seed 0: 60 -> 29 of the
   * wrong names), calls of another listed tool remain (75 -> 105).
   */
  renamePieces: 1,
  /**
   * Fraction of SFT and RL rows (plain and renamed) whose request/tool keywords are made-up words
   * (lib/data/mini/swap.ts). Measured from the shipped base, SFT only, seed 0, held-out accuracy /
   * reward / names: 0 -> 0.140 / -1.25 / 0.144; 0.5 -> 0.150 / -0.96 / 0.163. One seed only, so
   * the default stays off until seeds 1-2 and the GRPO stage are measured with it.
   */
  keywordSwap: 0,
  /**
   * Fraction of SFT and RL rows (plain and renamed) that list one new synthetic tool among the train
   * tools, half of them asking for it (lib/data/mini/novel.ts): the held-out situation, a tool never
   * seen among familiar ones. Measured from the shipped base, SFT only, seed 0, held-out accuracy /
   * reward / names: 0.3 -> 0.120 / -1.17 / 0.131 against 0.140 / -1.25 / 0.144 at 0; the misses are
   * still mostly misspelt copies (`start_vaccine` for `start_vacuum`), which SFT data cannot fix.
   */
  novelTool: 0,
  // Micro-batches of 4, sorted by length (lib/train/length-order.ts): ~2-3x faster steps on 2 cores
  // than one padded batch (measured: 64 rollouts, 8.1 s padded vs 3.2-5.3 s in micro-batches of 4).
  // From the shipped base (seed 0, held-out accuracy / reward / names after SFT): lr 1e-3 x 6 epochs
  // 0.050 / -1.56 / 0.054; 3e-4 x 6: 0.000 / -1.69 / 0.036; 1e-3 x 3: 0.025 / -1.60 / 0.036;
  // 1e-3 x 10: 0.075 / -1.57 / 0.066; 2e-3 x 6: 0.095 / -1.47 / 0.084 (800 demonstrations x 3
  // epochs, and why the default stays at 400 x 6: see renamedFraction). Re-measured from the current
  // shipped base (2026-12-07, one thread each), held-out names seeds 0 / 1: default 0.203 / 0.163;
  // lr 1e-3 0.190 / 0.237; 3 epochs 0.261 / 0.131; 10 epochs 0.157 / 0.231; lr 4e-3 0.157 / 0.169 —
  // no setting better in both seeds, so the default stays.
  // Piece dropout on the demonstrations (SftConfig.pieceDropout; `--sft-piece-dropout P`): each
  // draw of a demonstration splits its words afresh into BPE pieces, one split per word shared by
  // prompt and answer, so names are copied, not recalled as the train tools' usual tokens. Measured
  // from the shipped base (2026-12-07, SFT only, held-out accuracy / reward / names, seeds 0 / 1 / 2):
  // 0 -> 0.150 / -0.91 / 0.203, 0.120 / -1.29 / 0.163, 0.135 / -1.16 / 0.135;
  // 0.1 -> 0.145 / -0.82 / 0.235, 0.130 / -0.76 / 0.281, 0.085 / -1.03 / 0.194;
  // 0.2 -> 0.060 / -0.83 / 0.288, 0.005 / -0.95 / 0.237, 0.050 / -1.04 / 0.200 (parameter names
  // miscopied: `bflights` for `band`). 0.1: names and reward better in every seed, accuracy within
  // the seeds' spread. The whole default run at 0.1, SFT -> SFT+GRPO: 0.145 / -0.82 / 0.235 ->
  // 0.170 / -0.85 / 0.222, 0.130 / -0.76 / 0.281 -> 0.135 / -0.52 / 0.381, 0.085 / -1.03 / 0.194 ->
  // 0.100 / -0.79 / 0.277 (at 0: 0.180 / -0.83 / 0.20, 0.090 / -1.09 / 0.17, 0.130 / -0.90 / 0.23).
  sft: Object.freeze({ ...DEFAULT_SFT_CONFIG, epochs: 6, batchSize: 16, lr: 2e-3, maxPromptTokens: 384, microBatchSize: 4, pieceDropout: 0.1 }),
  grpo: Object.freeze({
    ...DEFAULT_GRPO_CONFIG,
    steps: 100,
    promptsPerStep: 8,
    groupSize: 8, // issue 8: larger groups against zero-variance groups
    maxNewTokens: 128,
    maxPromptTokens: 384,
    // A from-scratch 1M-parameter policy sampled at temperature 1 writes mostly malformed output,
    // and what GRPO learns from those samples did not carry over to greedy decoding (measured:
    // held-out reward -1.67 after SFT, -1.86 after GRPO at 1.0; -1.87 -> -1.70 at 0.7).
    temperature: 0.7,
    dynamicSampling: true,
    evalEvery: 0,
    // Piece dropout on the rollout prompts (GrpoConfig.pieceDropout; `--grpo-piece-dropout P`).
    // Measured 2026-12-08 from the default SFT checkpoints of seeds 0 / 1 / 2 (`--stages grpo --model
    // <sft>/checkpoint/model --threads 1`), held-out accuracy / reward / names after GRPO: 0.1 ->
    // 0.165 / -0.86 / 0.222, 0.095 / -0.58 / 0.338, 0.025 / -0.98 / 0.219; 0 -> 0.175 / -0.89 / 0.196,
    // 0.140 / -0.38 / 0.369, 0.055 / -0.66 / 0.329. Worse in seeds 1 and 2, so it is off.
    pieceDropout: 0,
  }),
  /**
   * GRPO step options for the mini model (a 3M-parameter model wants a far larger lr than 1e-6).
   * lr measured from the first shipped base (before the word-split tokenizer), 3 seeds, held-out
   * accuracy / reward after SFT+GRPO (SFT: 0.095/-1.47, 0.110/-1.58, 0.090/-1.42):
   * 1e-4 -> 0.090/-1.48, 0.090/-1.42, 0.090/-1.39; 3e-4 -> 0.115/-1.39, 0.100/-1.36, 0.095/-1.33
   * (reward above SFT in every seed). beta (k3 KL to the SFT model) measured from the current base
   * (2026-12-07, `--beta 0.04`, one thread each), held-out accuracy / reward / names after SFT+GRPO,
   * seeds 1 / 2: 0.075 / -0.97 / 0.225, 0.135 / -1.02 / 0.181 (SFT 0.120 / -1.26 / 0.163,
   * 0.135 / -1.14 / 0.135; at beta 0 0.090 / -1.09 / 0.17, 0.130 / -0.90 / 0.23): the KL term does not
   * stop GRPO's loss of seed 1's no-call rows, so beta stays 0 (no reference forward per step).
   */
  grpoStep: Object.freeze({ lr: 3e-4, beta: 0, entropyCoef: 0.001, microBatchSize: 4, releaseMemory: false }),
  /** SFT steps of the mini model: a 1M-parameter model keeps its step memory (TrainStepOptions.releaseMemory). */
  sftStep: Object.freeze({ releaseMemory: false }),
  /** Wall-clock budget the default run is designed for (issue 6: at most 15 minutes on 2 cores). */
  budgetSeconds: 15 * 60,
});

// ---------------------------------------------------------------------------------------------
// toolrl-mini base pretraining (npm run pretrain:mini, issue 8)

/** What the pretraining corpus draws, by example index (lib/pretrain/corpus.ts). */
export interface PretrainCorpusConfig {
  /** The first N examples are all copy drills ("Repeat after me: ..."). */
  drillExamples: number;
  /** After those, this fraction of examples are still drills (so copying is not unlearned). */
  drillShare: number;
  /** Fraction of drills that copy identifiers (snake_case, made-up words) instead of plain words. */
  identifierDrill: number;
  /** The first N tool-list examples after the drill use short lists, mostly synthetic tools. */
  warmupExamples: number;
  /** Fraction of synthetic tools whose topic is a made-up word (spelled in pieces, like held-out names). */
  madeUpTopics: number;
  /** Which tokens carry the loss: the answers only, or everything after the first header line. */
  lossOn: 'answers' | 'all';
  /**
   * Fraction of mini-world train episodes whose shared request/tool words become made-up words
   * (lib/data/mini/swap.ts): matching an unknown word of a natural request to the listed tool.
   * Measured, continuing the shipped base 450 steps (lr 6e-4): held-out names 0.125 with 0.7 as
   * with 0 (0.165 / 0.17 at step 150), so it is off.
   */
  keywordSwap: number;
  /**
   * Fraction of made-up words (identifier drills, synthetic topics) spelled from random vocabulary
   * pieces rather than syllables (lib/data/mini/rename.ts pieceWord): every token practised in copying.
   * Measured, a full run with pieceWords 0.8 and madeUpTopics 0.5 (seed 0, 5000 steps): final probes
   * held-out names 0.175 (shipped 0.125), unseen corpus lists 0.535 (0.605); then `node train.js`
   * seed 0, held-out accuracy / reward / names: SFT 0.140 / -1.18 / 0.118, SFT+GRPO 0.145 / -1.06 /
   * 0.190, against 0.150 / -0.91 / 0.203 and 0.180 / -0.83 / 0.203 from the shipped base — not kept.
   */
  pieceWords: number;
  /**
   * Fraction of synthetic-tool lists (2+ tools, after the warm-up) whose tools all share one verb
   * (`check_bike`, `check_vorpak`, `check_ticket`), so only the topic word tells them apart.
   * Why: the shipped base chose among 3 synthetic tools by the verb alone — 82.7% right with
   * different verbs, 47.3% when the verbs are shared (chance 33%; 41.3% with made-up topics), 74.0%
   * when the topics are — while held-out requests rarely repeat their tool's verb ("Vacuum the
   * kitchen" for `start_vacuum`) and share a noun with it instead. Measured, a full run at 0.5
   * (seed 0, 5,000 steps, 93 min; 2026-12-07): the skill it targets rose — shared-verb probe
   * (run.ts probeSharedVerb) 53.5% against 42.5% for the shipped base — but held-out names in its own
   * format fell to 7.0% (shipped 12.5%), unseen corpus lists 49.0% (60.5%; its own corpus, with
   * shared verbs), and after SFT (seeds 0 / 1) 0.098 / 0.081 against 0.203 / 0.163: not kept, off.
   */
  sharedVerbLists: number;
  /**
   * Fraction of examples after the warm-up that are lists of synthetic tools whose names cannot be
   * guessed from the request (corpus.ts unguessableEpisode): the request says the topic with a
   * generic verb, the name joins the topic to a made-up word, so the answer must be found in the list
   * and copied from it. Why: on 200 single-call held-out requests in its own format the shipped base
   * ranks the right name first by likelihood in 21% of the lists (chance 29%) and copies a held-out
   * name it is shown alone 62-64% of the time. Measured by continuing the shipped base 700 steps at
   * 0.5 (lr 1e-3, then down to 1e-4; 2026-12-07), against the same steps on the shipped corpus:
   * listed alone, held-out names copied 100% (62%); ranked first by likelihood 39% (26.5%); greedy,
   * among the listed tools, 23.5% (18.5%). After SFT (`node train.js --stages sft --model ...`,
   * seed 0) held-out names 0.163 (0.144); with `--rename-share 0.5`, seeds 0 / 1 / 2: 0.301 / 0.181 /
   * 0.200 (the shipped base with it: 0.275 / 0.237 / 0.103). Copying improved, choosing barely, and
   * SFT's misses stay familiar train tools of the list, so it is off; not run from scratch.
   */
  unguessableNames: number;
  /**
   * Piece dropout (lib/pretrain/pieceDropout.ts): each word token of a pretraining batch is split, with
   * this probability and again in its halves, into the tokens its BPE merge joined (`we ather`), so the
   * small pieces held-out words are spelled in are practised inside the corpus's own words. Probes and
   * later stages encode canonically. 0 draws nothing (the corpus shipped before it).
   * Measured by continuing the shipped base 700 steps at 0.2 (lr 1e-3, then down to 1e-4;
   * 2026-12-07), against the same steps without it, on 200 single-call held-out requests in the
   * base's own format: listed alone, held-out names copied 98.5% (62%); right name ranked first by
   * likelihood 42.5% (26.5%); greedy, among the listed tools, 28.5% (18.5%) — the largest gain of any
   * corpus change so far. After SFT (`node train.js --stages sft --model ...`) held-out names, seeds
   * 0 / 1 / 2: 0.222 / 0.200 / 0.232 (the control, seed 0: 0.144; the shipped base: 0.203 / 0.163 /
   * 0.135). Splitting each occurrence on its own instead of each word once broke copying (alone 25%,
   * greedy 1%; after SFT seed 0 0.163). Run from scratch at 0.2 (`npm run pretrain:mini` with
   * `{"corpus":{"pieceDropout":0.2}}`, seed 0, finished 2026-12-08; 5.1 h of running on a machine then
   * at about half speed), against the shipped base: held-out names in its own format 3.5% (13%),
   * corpus requests 48.5% (61%), topic in vocabulary pieces 12% (13%); after the default SFT (piece
   * dropout 0.1), held-out accuracy / reward / names, seeds 0 / 1 / 2: 0.070 / -1.00 / 0.190,
   * 0.070 / -1.07 / 0.219, 0.090 / -1.16 / 0.110 (0.145 / -0.82 / 0.235, 0.130 / -0.76 / 0.281,
   * 0.085 / -1.03 / 0.194). The continuation's gain does not carry over to a base trained with it from
   * the start: worse in every seed, so it stays off.
   */
  pieceDropout: number;
}

/**
 * The toolrl-mini model's shape (lib/data/mini/modelConfig.ts adds the fixed Qwen2 settings: tied
 * embeddings, q/k/v bias, RoPE). Real sizes, Qwen2.5-0.5B: hidden 896, 24 layers, 14 / 2 heads,
 * intermediate 4864.
 */
export interface MiniModelShape {
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  /** SwiGLU width. */
  intermediateSize: number;
}

/**
 * Sized by the feasibility run (../shared/notes/MINI-WORLD-FEASIBILITY.md: hidden 128, 4 layers;
 * hidden 256 was 2.4x slower and learned less in the same minutes of SFT from scratch). 8 query / 4
 * KV heads of 16 dimensions rather than 4 / 2 of 32: the same parameters and matmul sizes, twice
 * the attention patterns. Measured, not kept: hidden 192 (6 / 3 heads of 32, SwiGLU 768; 2.41M
 * parameters), 4,000 steps in 98 min (2026-12-06): final probes held-out names 0.08, unseen corpus
 * lists 0.52 (the shipped 128-wide base, 5,000 steps: 0.125 / 0.605); after SFT (`node train.js --stages
 * sft --model ...`, seed 0) held-out accuracy / reward / names 0.095 / -1.12 / 0.157 against 0.155 / -1.00 / 0.176 for the shipped base run beside it
 * (re-run 2026-12-07: 0.150 / -0.91 / 0.203, the README table's figure; the gap is unexplained).
 */
export const DEFAULT_MINI_MODEL_SHAPE: Readonly<MiniModelShape> = Object.freeze({
  hiddenSize: 128,
  numHiddenLayers: 4,
  numAttentionHeads: 8,
  numKeyValueHeads: 4,
  intermediateSize: 512,
});

/**
 * Every setting of the base model's pretraining run, in one place. The run is deterministic for a
 * seed; steps (not wall time) bound it so that a rerun reproduces the shipped checkpoint.
 */
export interface PretrainMiniConfig {
  seed: number;
  steps: number;
  batchSize: number;
  /** Sequences per forward/backward; the batch is sorted by length first, so padding stays small. */
  microBatchSize: number;
  lr: number;
  minLr: number;
  warmupSteps: number;
  /** lr is held at `lr` after warm-up, then decays (cosine) to minLr over this last fraction of steps. */
  decayFraction: number;
  weightDecay: number;
  /** TrainStepOptions.releaseMemory: off for this small model (its steps reuse the same memory). */
  releaseMemory: boolean;
  evalEvery: number;
  evalExamples: number;
  /** Requests in each probe of the finished model (written to pretrain.json and MODEL_CARD.md). */
  finalEvalExamples: number;
  checkpointEvery: number;
  /** The shape of the model it pretrains (the shipped base's config.json records it). */
  model: MiniModelShape;
  corpus: PretrainCorpusConfig;
  outDir: string;
  workDir: string;
}

export const DEFAULT_PRETRAIN_MINI: Readonly<PretrainMiniConfig> = Object.freeze({
  seed: 0,
  /** Optimisation steps of `batchSize` corpus examples (lib/pretrain/corpus.ts). */
  steps: 5000,
  batchSize: 32,
  /**
   * Measured on 2 cores (corpus batches of 32, ~6k real tokens): one padded forward of the whole batch
   * 1.7-3.1 s; sorted by length in micro-batches of 4, 0.63-0.78 s.
   */
  microBatchSize: 4,
  /** Peak learning rate after linear warm-up; held, then cosine decay to minLr (warmup-stable-decay). */
  lr: 3e-3,
  minLr: 3e-4,
  warmupSteps: 30,
  decayFraction: 0.2,
  weightDecay: 0.01,
  releaseMemory: false,
  /** Probes (held-out tools, and renamed corpus requests) every N steps. */
  evalEvery: 100,
  evalExamples: 60,
  finalEvalExamples: 200,
  checkpointEvery: 50,
  model: DEFAULT_MINI_MODEL_SHAPE,
  corpus: Object.freeze({
    drillExamples: 0,
    drillShare: 0.25,
    identifierDrill: 0.5,
    warmupExamples: 600 * 32,
    madeUpTopics: 0.3,
    lossOn: 'all',
    keywordSwap: 0,
    pieceWords: 0,
    sharedVerbLists: 0,
    unguessableNames: 0,
    pieceDropout: 0,
  }),
  /** Where the finished model goes (committed) and where resumable state lives (not committed). */
  outDir: 'assets/toolrl-mini-base',
  workDir: 'runs/pretrain-mini',
});

// ---------------------------------------------------------------------------------------------
// Optimisation step (policy.trainStep / policy.sftStep)

/**
 * How per-token losses are summed (native/loss/aggregation.h has the formulas and sources):
 * 'token-mean' (mean over the batch's completion tokens; per micro-batch, averaged over
 * micro-batches as TRL does), 'sequence-mean' (GRPO's original per-sequence mean), 'dr_grpo'
 * (constant normaliser: sequences x maxCompletionLength), 'dapo' (mean over all tokens of the step).
 */
export type LossAggregation = 'token-mean' | 'sequence-mean' | 'dr_grpo' | 'dapo';
export const LOSS_AGGREGATIONS: readonly LossAggregation[] = ['token-mean', 'sequence-mean', 'dr_grpo', 'dapo'];

export interface TrainStepOptions {
  /** AdamW learning rate. Paper (real models): 1e-6. */
  lr: number;
  /** PPO clip range: ratio clipped to [1 - epsLow, 1 + epsHigh]. Paper: 0.2 / 0.2. */
  epsLow: number;
  epsHigh: number;
  /** k3 KL coefficient against reference log-probs; 0 = off (DESIGN.md). */
  beta: number;
  /** Entropy bonus coefficient. Paper config: 0.001. */
  entropyCoef: number;
  aggregation: LossAggregation;
  /** dr_grpo's constant length; 0 = the longest completion of the batch. */
  maxCompletionLength: number;
  /** Sequences per forward/backward (gradient accumulation); 0 = the whole batch at once. */
  microBatchSize: number;
  /**
   * Sequences of a forward with the same prompt (a GRPO group's samples) share one row: the prompt
   * once, each completion after it with a tree-shaped attention mask (native/model/packing.h). The
   * same loss and gradients up to float rounding; false is the one-row-per-sequence reference.
   */
  sharePrompts: boolean;
  /** Global gradient-norm clip; 0 = off. Paper: 1.0. */
  maxGradNorm: number;
  /** AdamW decoupled weight decay. Paper: 0.01. */
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Rows per fused-loss chunk; 0 = automatic (~16 MB of logits). */
  chunkRows: number;
  /** 'fused' (chunked, never holds tokens x vocab logits) or 'reference' (eager, for checks). */
  impl: 'fused' | 'reference';
  /**
   * Hand freed heap memory back to the OS after the step (malloc_trim). Keeps resident memory near
   * the model's own between steps — needed for big vocabularies (bigvocab grpo-step peak growth:
   * 708 MB with it, 1365 MB without). Off, the next step reuses the pages instead of faulting them
   * in again: toolrl-mini steps ran ~1.5x faster (pretraining: 4.5k vs 7.5k tokens/s, 2 cores).
   */
  releaseMemory: boolean;
}

export const DEFAULT_TRAIN_STEP_OPTIONS: Readonly<TrainStepOptions> = Object.freeze({
  lr: 1e-6,
  epsLow: 0.2,
  epsHigh: 0.2,
  beta: 0,
  entropyCoef: 0.001,
  aggregation: 'token-mean',
  maxCompletionLength: 0,
  microBatchSize: 0,
  sharePrompts: true,
  maxGradNorm: 1.0,
  weightDecay: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  chunkRows: 0,
  impl: 'fused',
  releaseMemory: true,
} as const);

// ---------------------------------------------------------------------------------------------
// Reward

/**
 * Defaults of the ToolRL reward (spec/REWARD.md; lib/rewards/options.ts validates and explains
 * each value). These reproduce the authors' released code with every environment flag unset:
 * format [0, 1] + correctness [-3, 3], no length reward, greedy matching.
 */
export const DEFAULT_REWARD_OPTIONS: Readonly<Required<import('./rewards/options').RewardOptions>> = Object.freeze({
  /** Global training step (0-based) for the schedules of spec §4. */
  step: 0,
  /** 'off' | 'fixed' (WITHLENGTH, L = 512) | 'scheduled' (+SCHEDULELENGTH, L = 384 → 640 over 105 steps). */
  length: 'off',
  /** 'default' | 'equalMax' (CORRECTMAX1) | 'twoStage' (MAX1STEP30MAX3) | 'dynamic' (SCHEDULEREWARD). */
  scale: 'default',
  /** 'default' | 'finegrained' (REFINEDREWARD) | 'intermediate' (INTERMEDIATEREWARD) | 'coarse' (COARSEREWARD). */
  granularity: 'default',
  /** 'greedy' (the reference) | 'optimal' (best assignment of predicted to gold calls). */
  matching: 'greedy',
});

// ---------------------------------------------------------------------------------------------
// Data

/** Defaults of the data pipeline (lib/data). */
export interface DataConfig {
  /**
   * Longest prompt in tokens; longer prompts lose their beginning (left truncation, as the paper's
   * veRL run: `data.max_prompt_length=2048`, `truncation='left'`). Range >= 1.
   */
  maxPromptTokens: number;
  /** Shuffle seed of the prompt batcher. */
  shuffleSeed: number;
}

export const DEFAULT_DATA_CONFIG: Readonly<DataConfig> = Object.freeze({
  maxPromptTokens: 2048, // paper: data.max_prompt_length
  shuffleSeed: 0,
});

/** The toolrl-mini world's knobs (lib/data/mini). */
export interface MiniWorldConfig {
  /** Seed of the example streams (the catalogue and its split are fixed). */
  seed: number;
  /** Relative weights of the example kinds (lib/data/mini/world.ts); the feasibility run used ~70/15/15. */
  kindWeights: Readonly<Record<'single' | 'same' | 'different' | 'chitchat' | 'outOfScope' | 'unlisted', number>>;
  /** Tools listed per prompt, [min, max] inclusive (feasibility run: 3–5). */
  toolsPerPrompt: readonly [number, number];
  /** Probability that an optional parameter is given in a request. */
  optionalRate: number;
  /** Limit on prompt + answer tokens with the mini tokenizer (ChatML-wrapped). */
  maxTokens: number;
  /**
   * Vocabulary of the mini tokenizer: 9 added tokens + 256 bytes + BPE merges. Used when the
   * shipped tokenizer.json is rebuilt (lib/data/mini/tokenizer.ts), not when a world is made.
   */
  vocabSize: number;
}

export const DEFAULT_MINI_WORLD: Readonly<MiniWorldConfig> = Object.freeze({
  seed: 0,
  kindWeights: Object.freeze({ single: 0.6, same: 0.1, different: 0.15, chitchat: 0.04, outOfScope: 0.04, unlisted: 0.07 }),
  toolsPerPrompt: Object.freeze([3, 4] as const), // feasibility run: 3–5; 3–4 keeps held-out prompts in 384 tokens
  optionalRate: 0.4,
  maxTokens: 384, // issue 4: a prompt plus its answer fits in 384 tokens
  // Feasibility notes: 512 brought their prompts to ~250 tokens. This world's requests are more
  // varied (48 tools, 2–3 templates each): 512 gives ~370 tokens per example, 1024 ~255.
  vocabSize: 1024,
});

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Defaults of `node train.js eval` and lib/eval's runners (BFCL, API-Bank). */
export interface EvalConfig {
  /** Prompts per generate call. Larger batches are faster on a GPU and use more memory. Range >= 1. */
  batchSize: number;
  /**
   * Longest completion in tokens. ToolRL answers (think + a few tool-call lines) are short; BFCL's
   * own OSS handler allows up to the model's context, so raise it for verbose models. Range >= 1.
   */
  maxNewTokens: number;
  /** Sampling temperature: 0 = greedy, how BFCL and the paper score benchmarks. */
  temperature: 0;
}

export const DEFAULT_EVAL_CONFIG: Readonly<EvalConfig> = Object.freeze({
  batchSize: 8,
  maxNewTokens: 1024,
  temperature: 0,
});
