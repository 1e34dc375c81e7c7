/**
 * The ToolRL harness decoder (rlla_qwen.py `decode_ast`, ../shared/spec/BFCL.md §7).
 */
import test from 'ava';
import { bfclDecode, bfclDecodePy } from '../lib/eval';
import { lastToolCallBlock } from '../lib/eval/bfclDecode';
import { pyDumps } from '../lib/pycompat';

/** bfclDecodePy as json.dumps text: shows number kinds exactly. */
const dec = (text: string) => pyDumps(bfclDecodePy(text));

test('no <tool_call> → []', (t) => {
  t.deepEqual(bfclDecode('<think>no tools needed</think>\n<response>Hi</response>'), []);
  t.deepEqual(bfclDecode(''), []);
});

test('one call per line → [{name: parameters}]', (t) => {
  const text = '<think>x</think>\n<tool_call>\n{"name": "f", "parameters": {"a": 1}}\n{"name": "g", "parameters": {}}\n</tool_call>';
  t.deepEqual(bfclDecode(text), [{ f: { a: 1 } }, { g: {} }]);
});

test('only the text after the LAST <tool_call> is read, up to the next </tool_call> or the end', (t) => {
  const text = '<tool_call>\n{"name": "first", "parameters": {}}\n</tool_call>\n<tool_call>\n{"name": "second", "parameters": {}}\n</tool_call>';
  t.deepEqual(bfclDecode(text), [{ second: {} }]);
  t.deepEqual(bfclDecode('<tool_call>\n{"name": "open", "parameters": {"x": 2}}'), [{ open: { x: 2 } }]);
  t.is(lastToolCallBlock('a<tool_call>b</tool_call>c<tool_call>d'), 'd');
  t.is(lastToolCallBlock('no call'), null);
});

test('bad lines are skipped silently: not JSON, not an object, no name/parameters, non-string name', (t) => {
  const lines = [
    'not json',
    '[1, 2]',
    '"str"',
    '{"name": "no_params"}',
    '{"parameters": {}}',
    '{"name": 5, "parameters": {}}',
    '{"name": "bad" "parameters": {}}',
    '{"name": "ok", "parameters": {"v": true}}',
  ];
  t.deepEqual(bfclDecode(`<tool_call>\n${lines.join('\n')}\n</tool_call>`), [{ ok: { v: true } }]);
});

test('a call named "none" (any case, surrounding spaces) is skipped', (t) => {
  const text = '<tool_call>\n{"name": "None", "parameters": {}}\n{"name": " NONE ", "parameters": {}}\n{"name": "f", "parameters": {}}\n</tool_call>';
  t.deepEqual(bfclDecode(text), [{ f: {} }]);
});

test('a pretty-printed multi-line call decodes to []', (t) => {
  t.deepEqual(bfclDecode('<tool_call>\n{\n  "name": "f",\n  "parameters": {}\n}\n</tool_call>'), []);
});

test('lines are split on "\\n" only; JSON white space around a line is fine', (t) => {
  t.deepEqual(bfclDecode('<tool_call>\r\n  {"name": "f", "parameters": {}}  \r\n</tool_call>'), [{ f: {} }]);
  // two calls on one line is not one JSON value: skipped
  t.deepEqual(bfclDecode('<tool_call>{"name": "f", "parameters": {}} {"name": "g", "parameters": {}}</tool_call>'), []);
});

test('Python json.loads rules: 5 vs 5.0, NaN/Infinity, big ints, duplicate keys (last wins)', (t) => {
  t.is(
    dec('<tool_call>\n{"name": "f", "parameters": {"i": 5, "x": 5.0, "e": 1e3, "n": NaN, "inf": -Infinity, "big": 123456789012345678901234567890}}\n</tool_call>'),
    '[{"f": {"i": 5, "x": 5.0, "e": 1000.0, "n": NaN, "inf": -Infinity, "big": 123456789012345678901234567890}}]',
  );
  t.is(dec('<tool_call>\n{"name": "a", "name": "b", "parameters": {}}\n</tool_call>'), '[{"b": {}}]');
});

test('parameters are taken as they are, even when not a dict (the format check rejects them later)', (t) => {
  t.deepEqual(bfclDecode('<tool_call>\n{"name": "f", "parameters": "x"}\n</tool_call>'), [{ f: 'x' }]);
});

test('the result is frozen plain data', (t) => {
  const d = bfclDecode('<tool_call>\n{"name": "f", "parameters": {"a": [1]}}\n</tool_call>') as { f: { a: number[] } }[];
  t.true(Object.isFrozen(d));
  t.true(Object.isFrozen(d[0].f.a));
});

test('model output that is not text → TypeError', (t) => {
  t.throws(() => bfclDecode(undefined as never), { instanceOf: TypeError, message: /Expected a string \(the model output\) for text but received undefined of type undefined/ });
  t.throws(() => bfclDecode(42 as never), { instanceOf: TypeError, message: /of type number/ });
});
