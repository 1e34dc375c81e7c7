/**
 * Prompt batching for training: a seeded shuffle per epoch, `promptsPerStep` prompts per step, a
 * fixed number of epochs (or endless), and a position that survives checkpoints.
 *
 * The prompt stream is the concatenation of per-epoch permutations (epoch e shuffled by
 * `Rng.derive(seed, 'epoch', e)`), cut into consecutive steps; a step may take the end of one epoch
 * and the start of the next, so every step has exactly `promptsPerStep` prompts except possibly
 * the very last. The state is four integers, so resuming from a checkpoint continues with exactly
 * the prompts an uninterrupted run would have seen.
 */
import { Rng } from './rng';
import { checkBoolean, checkInteger, checkOptions, invalidType, invalidValue } from './validate';

export interface BatcherOptions {
  /** Prompts per step (>= 1). */
  promptsPerStep: number;
  /** Shuffle seed (default 0). */
  seed?: number;
  /** Passes over the data (>= 1), or Infinity (the default) for an endless stream. */
  epochs?: number;
  /** Shuffle each epoch (default true); false keeps file order. */
  shuffle?: boolean;
  /** Resume from a state saved with `state()`. */
  state?: BatcherState;
}

/** Serializable position (plain JSON) for checkpoints. */
export interface BatcherState {
  seed: number;
  /** Number of items; must match on resume. */
  size: number;
  epoch: number;
  /** Index within the epoch's permutation of the next item. */
  position: number;
  /** Steps taken so far. */
  step: number;
}

export class PromptBatcher<T> {
  readonly promptsPerStep: number;
  readonly seed: number;
  readonly epochs: number;
  readonly shuffle: boolean;
  private epoch = 0;
  private position = 0;
  private step = 0;
  private order: number[] = [];
  private orderEpoch = -1;

  constructor(private readonly items: readonly T[], opts: BatcherOptions) {
    // Apply defaults
    if (opts === null || typeof opts !== 'object') throw invalidType('an options object with promptsPerStep', 'opts', opts);
    const o = checkOptions(opts, ['promptsPerStep', 'seed', 'epochs', 'shuffle', 'state'], 'PromptBatcher options');
    // Validate arguments
    if (!Array.isArray(items)) throw invalidType('an array of prompts', 'items', items);
    if (items.length === 0) throw invalidValue('a non-empty array', 'items', items);
    this.promptsPerStep = checkInteger(o.promptsPerStep, 'promptsPerStep', 1);
    this.seed = o.seed === undefined ? 0 : checkInteger(o.seed, 'seed', -(2 ** 53) + 1, 2 ** 53 - 1);
    this.epochs = o.epochs === undefined || o.epochs === Infinity ? Infinity : checkInteger(o.epochs, 'epochs', 1);
    this.shuffle = o.shuffle === undefined ? true : checkBoolean(o.shuffle, 'shuffle');
    if (o.state !== undefined) this.restore(o.state);
  }

  /** Steps in a full run (Infinity when endless). */
  get totalSteps(): number {
    return this.epochs === Infinity ? Infinity : Math.ceil((this.items.length * this.epochs) / this.promptsPerStep);
  }

  /** True when every epoch has been consumed. */
  get done(): boolean {
    return this.epoch >= this.epochs;
  }

  /** The current epoch (0-based) and the step count. */
  get progress(): { epoch: number; step: number } {
    return { epoch: this.epoch, step: this.step };
  }

  private permutation(epoch: number): number[] {
    if (this.orderEpoch !== epoch) {
      const idx = Array.from({ length: this.items.length }, (_, i) => i);
      this.order = this.shuffle ? Rng.derive(this.seed, 'epoch', epoch).shuffle(idx) : idx;
      this.orderEpoch = epoch;
    }
    return this.order;
  }

  /** Indices (into `items`) of the next step's prompts; empty when done. */
  nextIndices(): number[] {
    const out: number[] = [];
    while (out.length < this.promptsPerStep && !this.done) {
      const perm = this.permutation(this.epoch);
      out.push(perm[this.position]);
      this.position++;
      if (this.position === perm.length) {
        this.epoch++;
        this.position = 0;
      }
    }
    if (out.length > 0) this.step++;
    return out;
  }

  /** The next step's prompts, or undefined when all epochs are consumed. */
  next(): T[] | undefined {
    const idx = this.nextIndices();
    return idx.length === 0 ? undefined : idx.map((i) => this.items[i]);
  }

  *[Symbol.iterator](): Iterator<T[]> {
    for (let b = this.next(); b !== undefined; b = this.next()) yield b;
  }

  /** The position, for a checkpoint. */
  state(): BatcherState {
    return { seed: this.seed, size: this.items.length, epoch: this.epoch, position: this.position, step: this.step };
  }

  /** Continues from a saved position (same data and seed required). */
  restore(state: BatcherState): void {
    if (state === null || typeof state !== 'object') throw invalidType('a BatcherState object', 'state', state);
    checkOptions(state, ['seed', 'size', 'epoch', 'position', 'step'], 'BatcherState');
    if (state.size !== this.items.length) throw invalidValue(`a state for ${this.items.length} items`, 'state.size', state.size);
    if (state.seed !== this.seed) throw invalidValue(`a state with seed ${this.seed}`, 'state.seed', state.seed);
    this.epoch = checkInteger(state.epoch, 'state.epoch', 0);
    this.position = checkInteger(state.position, 'state.position', 0, this.items.length - 1);
    this.step = checkInteger(state.step, 'state.step', 0);
  }
}
