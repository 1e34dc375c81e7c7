/** Exact match ("all calls right") as the training summaries report it. */
import test from 'ava';

import { exactMatch, namesMatch } from '../lib/train/exact-match';

const gt = '<think> x </think>\n<tool_call>\n{"name": "a", "parameters": {"x": 1, "y": "b"}}\n{"name": "c", "parameters": {}}\n</tool_call>';

test('calls must match as a multiset with Python equality; order is free', (t) => {
  t.true(exactMatch(gt, gt));
  t.true(exactMatch('<think>.</think>\n<tool_call>\n{"name": "c", "parameters": {}}\n{"name": "a", "parameters": {"y": "b", "x": 1.0}}\n</tool_call>', gt));
  t.false(exactMatch('<think>.</think>\n<tool_call>\n{"name": "a", "parameters": {"x": 1, "y": "b"}}\n</tool_call>', gt));
  t.false(exactMatch('<think>.</think>\n<tool_call>\n{"name": "a", "parameters": {"x": "1", "y": "b"}}\n{"name": "c", "parameters": {}}\n</tool_call>', gt));
  t.false(exactMatch('<think>.</think>\n<tool_call>\nnot json\n</tool_call>', gt));
  t.false(exactMatch('no tags at all', gt));
});

test('a gold answer without calls needs a <response> and no call', (t) => {
  const resp = '<think> chat </think>\n<response> hi </response>';
  t.true(exactMatch('<think>.</think>\n<response> hello </response>', resp));
  t.false(exactMatch('<think>.</think>\n<tool_call>\n{"name": "a", "parameters": {}}\n</tool_call>', resp));
  t.false(exactMatch('<think>.</think>', resp));
});

test('namesMatch: right tool names whatever the parameters; undefined when the gold makes no call', (t) => {
  const gt = '<think>.</think>\n<tool_call>\n{"name": "a", "parameters": {"x": 1}}\n{"name": "b", "parameters": {}}\n</tool_call>';
  t.true(namesMatch('<tool_call>\n{"name": "b", "parameters": {"z": 2}}\n{"name": "a", "parameters": {}}\n</tool_call>', gt));
  t.false(namesMatch('<tool_call>\n{"name": "a", "parameters": {"x": 1}}\n</tool_call>', gt));
  t.false(namesMatch('<tool_call>\n{"name": "a", "parameters": {}}\n{"name": "a", "parameters": {}}\n</tool_call>', gt));
  t.false(namesMatch('<tool_call>\n{"name": "a", "parameters": \n</tool_call>', gt));
  t.false(namesMatch('<response> no </response>', gt));
  t.is(namesMatch('<tool_call>\n{"name": "a", "parameters": {}}\n</tool_call>', '<think>.</think>\n<response> hi </response>'), undefined);
});
