/**
 * lib/pycompat against CPython 3.11: every expectation in fixtures/reward/pycompat-cpython.json
 * was recorded from python3 (json.loads/json.dumps, str.strip/split, round, str.lower), so
 * these tests compare with Python itself, not with our reading of its docs.
 * Run: npx ava test/pycompat.test.ts
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  fromJS,
  pyCountWords,
  pyDumps,
  pyEq,
  pyEqItem,
  pyFloatRepr,
  pyHashKey,
  PyJSONDecodeError,
  pyLen,
  pyLoads,
  pyLower,
  PyRecursionError,
  pyRound,
  pySplit,
  pyStrip,
  pyTypeName,
  toJS,
  tryPyLoads,
  type PyValue,
} from '../lib/pycompat';

interface JsonCase {
  input: string;
  ok: boolean;
  dumps?: string;
  dumpsUnicode?: string;
  dumpsIndent?: string;
  error?: string;
  pos?: number;
}
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'reward', 'pycompat-cpython.json'), 'utf8')) as {
  json: JsonCase[];
  str: { s: string; strip: string; split: string[] }[];
  round: { x: number; n: number; r: number }[];
  lower: { s: string; lower: string }[];
};

// ---------------------------------------------------------------------------------------------
// json.loads / json.dumps

test('pyLoads accepts and rejects exactly what CPython json.loads does, and pyDumps writes what json.dumps writes', (t) => {
  t.true(fixture.json.length > 500);
  for (const c of fixture.json) {
    if (c.ok) {
      const v = pyLoads(c.input);
      t.is(pyDumps(v), c.dumps as string, `dumps(loads(${JSON.stringify(c.input)}))`);
      t.is(pyDumps(v, { ensureAscii: false }), c.dumpsUnicode as string, `ensure_ascii=False ${JSON.stringify(c.input)}`);
      t.is(pyDumps(v, { indent: 2 }), c.dumpsIndent as string, `indent=2 ${JSON.stringify(c.input)}`);
    } else {
      const err = t.throws(() => pyLoads(c.input), undefined, `loads(${JSON.stringify(c.input)}) should fail`);
      if (c.error === 'JSONDecodeError') {
        t.true(err instanceof PyJSONDecodeError, JSON.stringify(c.input));
        // Python counts code points, we count UTF-16 units: compare only where they agree.
        if (!/[\ud800-\udfff]/.test(c.input)) t.is((err as PyJSONDecodeError).pos, c.pos as number, `pos for ${JSON.stringify(c.input)}`);
      }
      t.is(tryPyLoads(c.input), undefined);
    }
  }
});

test('int literals: exact beyond 2^53, ValueError above 4300 digits (Python 3.11 int_max_str_digits)', (t) => {
  t.is(pyLoads('9007199254740993'), 9007199254740993n);
  t.is(pyLoads('-123456789012345678901234567890'), -123456789012345678901234567890n);
  t.is(typeof pyLoads('1' + '0'.repeat(4299)), 'bigint');
  t.is(typeof pyLoads('-' + '1'.repeat(4300)), 'bigint');
  t.throws(() => pyLoads('1'.repeat(4301)), { instanceOf: RangeError, message: /4300 digits/ });
  t.throws(() => pyLoads('-' + '1'.repeat(4301)), { instanceOf: RangeError });
  t.is(pyLoads('1'.repeat(4301) + '.0'), Number('1'.repeat(4301) + '.0')); // floats have no limit
});

test('nesting depth: Python raises RecursionError near 1000 levels', (t) => {
  t.true(Array.isArray(pyLoads('['.repeat(900) + ']'.repeat(900))));
  t.true(pyLoads('{"a":'.repeat(900) + '1' + '}'.repeat(900)) instanceof Map);
  t.throws(() => pyLoads('['.repeat(1200) + ']'.repeat(1200)), { instanceOf: PyRecursionError });
  t.throws(() => pyLoads('{"a":'.repeat(1200) + '1' + '}'.repeat(1200)), { instanceOf: PyRecursionError });
});

test('number kinds: a . or an exponent makes a float, otherwise an int', (t) => {
  const v = pyLoads('[1, 1.0, 1e2, -0, -0.0, NaN, Infinity, -Infinity, 1e400]') as PyValue[];
  t.deepEqual(v.map(pyTypeName), ['int', 'float', 'float', 'int', 'float', 'float', 'float', 'float', 'float']);
  t.is(v[0], 1n);
  t.is(v[1], 1);
  t.true(Object.is(v[4], -0));
  t.is(v[3], 0n);
  t.true(Number.isNaN(v[5] as number));
  t.is(v[8], Infinity);
});

test('dict key order is kept as written, integer-like keys included; duplicates: last wins at the first place', (t) => {
  const d = pyLoads('{"2": "a", "1": "b", "x": 0, "0": 1, "1": "c"}') as Map<string, PyValue>;
  t.deepEqual([...d.keys()], ['2', '1', 'x', '0']);
  t.is(d.get('1'), 'c');
  t.is(pyDumps(d), '{"2": "a", "1": "c", "x": 0, "0": 1}');
});

test('PyJSONDecodeError carries msg, pos, lineno, colno like Python', (t) => {
  const err = t.throws(() => pyLoads('{\n  "a": 1,\n}'), { instanceOf: PyJSONDecodeError }) as PyJSONDecodeError;
  t.is(err.msg, 'Expecting property name enclosed in double quotes');
  t.is(err.pos, 12);
  t.is(err.lineno, 3);
  t.is(err.colno, 1);
  t.is(err.message, 'Expecting property name enclosed in double quotes: line 3 column 1 (char 12)');
  t.true(err instanceof SyntaxError);
  t.throws(() => pyLoads(5 as unknown as string), { instanceOf: TypeError, message: /Expected string for text but received 5 of type number/ });
});

test('pyDumps: Python float repr, separators, indent 0 and string indent', (t) => {
  t.is(pyDumps([1, 1e16, 1e-5, 0.0001, 1e15, 1.5, -0, NaN, Infinity, -Infinity]), '[1.0, 1e+16, 1e-05, 0.0001, 1000000000000000.0, 1.5, -0.0, NaN, Infinity, -Infinity]');
  t.is(pyDumps(fromJS({ a: [1, 2] }), { separators: [',', ':'] }), '{"a":[1,2]}');
  t.is(pyDumps(fromJS([1, [2]]), { indent: 0 }), '[\n1,\n[\n2\n]\n]');
  t.is(pyDumps(fromJS({ a: 1 }), { indent: '\t' }), '{\n\t"a": 1\n}');
  t.is(pyDumps('\x7f\u00e9\ud83d\ude00'), '"\\u007f\\u00e9\\ud83d\\ude00"');
  t.is(pyDumps(12345678901234567890123n), '12345678901234567890123');
});

test('pyFloatRepr matches repr(float)', (t) => {
  const cases: [number, string][] = [
    [1e16, '1e+16'],
    [1e-5, '1e-05'],
    [1.0, '1.0'],
    [123456789012345678.0, '1.2345678901234568e+17'],
    [0.0001, '0.0001'],
    [-0.0, '-0.0'],
    [1e15, '1000000000000000.0'],
    [9999999999999998.0, '9999999999999998.0'],
    [5e-324, '5e-324'],
    [1.5e300, '1.5e+300'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [123.456, '123.456'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
  ];
  for (const [x, r] of cases) t.is(pyFloatRepr(x), r);
});

// ---------------------------------------------------------------------------------------------
// Equality

test('pyEq is Python ==: numbers across kinds, strings apart, None only with None', (t) => {
  const L = (s: string) => pyLoads(s);
  t.true(pyEq(L('1'), L('1.0')));
  t.true(pyEq(L('true'), L('1')));
  t.true(pyEq(L('true'), L('1.0')));
  t.true(pyEq(L('false'), L('0')));
  t.true(pyEq(L('false'), L('-0.0')));
  t.false(pyEq(L('true'), L('2')));
  t.false(pyEq(L('"5"'), L('5')));
  t.false(pyEq(L('null'), L('0')));
  t.false(pyEq(L('null'), L('false')));
  t.true(pyEq(L('null'), L('null')));
  t.false(pyEq(L('[]'), L('{}')));
  t.true(pyEq(L('{"a": 1, "b": [1, 2]}'), L('{"b": [1.0, 2], "a": true}')));
  t.false(pyEq(L('[1, 2]'), L('[2, 1]')));
  t.false(pyEq(L('{"a": 1}'), L('{"a": 1, "b": 2}')));
  t.false(pyEq(L('{"a": null}'), L('{"b": null}')));
});

test('pyEq compares ints and floats exactly at any size', (t) => {
  t.false(pyEq(pyLoads('9007199254740993'), pyLoads('9007199254740992.0')));
  t.true(pyEq(pyLoads('9007199254740992'), pyLoads('9007199254740992.0')));
  t.true(pyEq(pyLoads('100000000000000000000'), pyLoads('1e20')));
  t.false(pyEq(pyLoads('100000000000000000001'), pyLoads('1e20')));
  t.false(pyEq(pyLoads('9007199254740993'), pyLoads('9007199254740992')));
  t.false(pyEq(pyLoads('1'), pyLoads('Infinity')));
});

test('NaN: unequal at the top level, equal inside lists and dicts (json returns one shared NaN object)', (t) => {
  t.false(pyEq(pyLoads('NaN'), pyLoads('NaN')));
  t.true(pyEq(pyLoads('[NaN]'), pyLoads('[NaN]')));
  t.true(pyEq(pyLoads('{"x": NaN}'), pyLoads('{"x": NaN}')));
  t.true(pyEqItem(NaN, NaN));
  t.true(pyEq(pyLoads('Infinity'), pyLoads('1e400')));
});

test('pyHashKey groups values the way a Python dict/Counter does', (t) => {
  t.is(pyHashKey(1n), pyHashKey(1.0));
  t.is(pyHashKey(true), pyHashKey(1n));
  t.is(pyHashKey(-0), pyHashKey(0n));
  t.not(pyHashKey('1'), pyHashKey(1n));
  t.not(pyHashKey(9007199254740993n), pyHashKey(9007199254740992));
  t.is(pyHashKey(1e20), pyHashKey(100000000000000000000n));
  t.is(pyHashKey([1n]), undefined);
  t.is(pyHashKey(new Map()), undefined);
});

test('fromJS / toJS / pyTypeName', (t) => {
  const v = fromJS({ b: 1, a: [1.5, null, true, 'x'] });
  t.is(pyTypeName(v), 'dict');
  t.is(pyDumps(v), '{"b": 1, "a": [1.5, null, true, "x"]}');
  t.deepEqual(toJS(pyLoads('{"a": [1, 2.5, 123456789012345678901]}')), { a: [1, 2.5, 123456789012345678901n] });
  const proto = toJS(pyLoads('{"__proto__": 1}')) as Record<string, unknown>;
  t.deepEqual(Object.keys(proto), ['__proto__']);
  t.throws(() => fromJS(undefined), { instanceOf: TypeError, message: /Expected JSON-like value for value but received undefined of type undefined/ });
  t.throws(() => fromJS(new Map([[1, 2]])), { instanceOf: TypeError });
  t.deepEqual(['NoneType', 'bool', 'int', 'float', 'str', 'list', 'dict'], [null, true, 1n, 1.5, 's', [], new Map()].map((x) => pyTypeName(x as PyValue)));
});

// ---------------------------------------------------------------------------------------------
// Strings and rounding

test('pyStrip / pySplit / pyCountWords use Python white space (\\x1c-\\x1f, \\x85, \\u3000 yes; \\ufeff, \\u200b, \\u180e no)', (t) => {
  for (const c of fixture.str) {
    t.is(pyStrip(c.s), c.strip, JSON.stringify(c.s));
    t.deepEqual(pySplit(c.s), c.split, JSON.stringify(c.s));
    t.is(pyCountWords(c.s), c.split.length, JSON.stringify(c.s));
  }
  t.is(pyStrip('\x1c\x85\u3000a\x1f'), 'a');
  t.is(pyStrip('\ufeffa\ufeff'), '\ufeffa\ufeff');
  t.deepEqual(pySplit('a\x1cb\x85c\u3000d\ufeffe'), ['a', 'b', 'c', 'd\ufeffe']);
});

test('pyRound is CPython round(x, n): half-even on the exact binary value', (t) => {
  for (const c of fixture.round) t.true(Object.is(pyRound(c.x, c.n), c.r), `round(${c.x}, ${c.n}) = ${c.r}, got ${pyRound(c.x, c.n)}`);
  t.is(pyRound(0.125, 2), 0.12);
  t.is(pyRound(0.375, 2), 0.38);
  t.is(pyRound(2.675, 2), 2.67);
  t.is(pyRound(64 / 512, 2), 0.12); // the length-reward trap
  t.true(Number.isNaN(pyRound(NaN, 2)));
  t.is(pyRound(Infinity, 2), Infinity);
  t.throws(() => pyRound(1, 1.5), { instanceOf: TypeError });
});

test('pyLower is str.lower() of CPython 3.11 (final sigma, full mappings, Unicode 14 tables)', (t) => {
  for (const c of fixture.lower) t.is(pyLower(c.s), c.lower, JSON.stringify(c.s));
});

test('pyLen counts code points', (t) => {
  t.is(pyLen('a😀b'), 3);
  t.is(pyLen('\ud83d'), 1);
  t.is(pyLen(''), 0);
});
