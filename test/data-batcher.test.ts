/**
 * PromptBatcher: seeded shuffles, epochs, steps spanning epochs, and resuming from a saved state
 * gives exactly the prompts of an uninterrupted run.
 */
import test from 'ava';
import { PromptBatcher } from '../lib/data';

const items = Array.from({ length: 10 }, (_, i) => i);

test('each epoch is a permutation; steps have promptsPerStep prompts and may span epochs', (t) => {
  const b = new PromptBatcher(items, { promptsPerStep: 4, seed: 1, epochs: 3 });
  t.is(b.totalSteps, 8);
  const steps = [...b];
  t.is(steps.length, 8);
  t.deepEqual(
    steps.map((s) => s.length),
    [4, 4, 4, 4, 4, 4, 4, 2],
  );
  const flat = steps.flat();
  for (let e = 0; e < 3; e++) t.deepEqual([...flat.slice(e * 10, e * 10 + 10)].sort((x, y) => x - y), items);
  t.notDeepEqual(flat.slice(0, 10), flat.slice(10, 20)); // a fresh shuffle per epoch
  t.true(b.done);
  t.is(b.next(), undefined);
});

test('same seed, same order; another seed, another order; shuffle: false keeps file order', (t) => {
  const run = (seed: number) => [...new PromptBatcher(items, { promptsPerStep: 3, seed, epochs: 2 })].flat();
  t.deepEqual(run(7), run(7));
  t.notDeepEqual(run(7), run(8));
  t.deepEqual([...new PromptBatcher(items, { promptsPerStep: 5, shuffle: false, epochs: 1 })], [
    [0, 1, 2, 3, 4],
    [5, 6, 7, 8, 9],
  ]);
});

test('resume from a saved state continues exactly (through JSON, as in a checkpoint)', (t) => {
  const full = new PromptBatcher(items, { promptsPerStep: 3, seed: 5 });
  const reference = Array.from({ length: 12 }, () => full.next()!);
  const first = new PromptBatcher(items, { promptsPerStep: 3, seed: 5 });
  for (let i = 0; i < 5; i++) first.next();
  const saved = JSON.parse(JSON.stringify(first.state()));
  t.deepEqual(saved, { seed: 5, size: 10, epoch: 1, position: 5, step: 5 });
  const resumed = new PromptBatcher(items, { promptsPerStep: 3, seed: 5, state: saved });
  t.deepEqual(Array.from({ length: 7 }, () => resumed.next()!), reference.slice(5));
  t.deepEqual(resumed.progress, { epoch: 3, step: 12 });
  t.is(full.totalSteps, Infinity);
});

test('bad options and states are rejected', (t) => {
  t.throws(() => new PromptBatcher(items, { promptsPerStep: 0 }), { instanceOf: RangeError, message: 'Expected an integer >= 1 for promptsPerStep but received 0 of type number' });
  t.throws(() => new PromptBatcher(items, { promptsPerStep: 2, epochs: 1.5 }), { instanceOf: RangeError });
  t.throws(() => new PromptBatcher([], { promptsPerStep: 2 }), { instanceOf: RangeError });
  t.throws(() => new PromptBatcher(items, { promptsPerStep: 2, sed: 1 } as never), { instanceOf: TypeError, message: /Unknown option "sed"/ });
  const b = new PromptBatcher(items, { promptsPerStep: 2, seed: 1 });
  t.throws(() => b.restore({ seed: 1, size: 11, epoch: 0, position: 0, step: 0 }), { instanceOf: RangeError, message: /for state\.size/ });
  t.throws(() => b.restore({ seed: 2, size: 10, epoch: 0, position: 0, step: 0 }), { instanceOf: RangeError, message: /for state\.seed/ });
  t.throws(() => b.restore({ seed: 1, size: 10, epoch: 0, position: 10, step: 0 }), { instanceOf: RangeError });
});
