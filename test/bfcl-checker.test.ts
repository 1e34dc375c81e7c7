/**
 * The BFCL AST checker, rule by rule (../shared/spec/BFCL.md §1–§6), on real v3 entries copied
 * into test/fixtures/bfcl. Decoded calls are given as JSON text, as outside callers pass them,
 * so `450` (int) and `450.0` (float) stay distinct.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bfclCheck, bfclDecode, bfclStandardizeString } from '../lib/eval';
import { BFCL_FIXTURE_DIR, fixtureEntry } from './fixtures/bfcl/entries';

/** bfclCheck on a fixture entry; `decoded` is JSON text. */
function check(id: string, decoded: string) {
  return bfclCheck(fixtureEntry(id), decoded);
}

function errorType(id: string, decoded: string): string | null {
  return check(id, decoded).errorType;
}

// ---------------------------------------------------------------------------------------------
// §1 pipeline: decode → format check → checker picked by category substring

test('§1 a decoder output that is not [{name: {args}}] is decoder_wrong_output_format', (t) => {
  for (const bad of ['[{"get_prime_factors": "450"}]', '{"get_prime_factors": {}}', '[{"a": {}, "b": {}}]', '[{}]', '["x"]', '"text"']) {
    t.is(errorType('simple_17', bad), 'ast_decoder:decoder_wrong_output_format', bad);
  }
});

test('§1 JSON text that does not parse counts as the decoder raising: decoder_failed', (t) => {
  const v = check('simple_17', '[{"get_prime_factors": {');
  t.false(v.valid);
  t.is(v.errorType, 'ast_decoder:decoder_failed');
  t.regex(v.error ?? '', /Failed to decode AST/);
});

test('§1 [] passes the format check; each checker then counts calls', (t) => {
  t.is(errorType('simple_17', '[]'), 'simple_function_checker:wrong_count');
  t.is(errorType('multiple_73', '[]'), 'multiple_function_checker:wrong_count');
  t.is(errorType('parallel_116', '[]'), 'parallel_function_checker_no_order:wrong_count');
  t.is(errorType('live_parallel_multiple_14-12-0', '[]'), 'parallel_function_checker_no_order:wrong_count');
  t.is(errorType('live_simple_117-73-0', '[]'), 'simple_function_checker:wrong_count');
});

test('§1 simple categories need exactly one call', (t) => {
  const one = '{"get_prime_factors": {"number": 450, "formatted": true}}';
  t.true(check('simple_17', `[${one}]`).valid);
  t.is(errorType('simple_17', `[${one}, ${one}]`), 'simple_function_checker:wrong_count');
});

// ---------------------------------------------------------------------------------------------
// §2 simple_function_checker

test('§2 the required name is the doc name, not the answer name (simple_363)', (t) => {
  const args = '{"location": "Boston", "cuisine": "Sushi", "amenities": ["Patio"]}';
  t.true(check('simple_363', `[{"restaurant_search.find_closest": ${args}}]`).valid);
  // the answer says find_closest, but the checker requires doc["name"]
  t.is(errorType('simple_363', `[{"find_closest": ${args}}]`), 'simple_function_checker:wrong_func_name');
  // prompt models get no "." → "_" conversion, and names are case-sensitive
  t.is(errorType('simple_363', `[{"restaurant_search_find_closest": ${args}}]`), 'simple_function_checker:wrong_func_name');
  t.is(errorType('simple_363', `[{"Restaurant_search.find_closest": ${args}}]`), 'simple_function_checker:wrong_func_name');
});

test('§2 checks run in order: required, then unexpected, then per-arg type/value, then missing optional', (t) => {
  // missing required `cuisine` wins over the unexpected `bogus`
  t.is(errorType('simple_363', '[{"restaurant_search.find_closest": {"location": "Boston", "bogus": 1}}]'), 'simple_function_checker:missing_required');
  // an unexpected arg is reported before a later bad value
  t.is(
    errorType('simple_363', '[{"restaurant_search.find_closest": {"bogus": 1, "location": "Paris", "cuisine": "Sushi"}}]'),
    'simple_function_checker:unexpected_param',
  );
  // per argument in the model's order: the first bad one decides
  t.is(errorType('simple_200', '[{"calculate_emissions": {"fuel_type": "diesel", "distance": "12000", "fuel_efficiency": 25.0}}]'), 'value_error:string');
  t.is(errorType('simple_200', '[{"calculate_emissions": {"distance": "12000", "fuel_type": "diesel", "fuel_efficiency": 25.0}}]'), 'type_error:simple');
});

test('§2 a real schema parameter the answer does not list is unexpected (parallel_multiple_12)', (t) => {
  const volt = '{"calculate_voltage_difference": {"electric_field": 5.0, "distance": 3.0}}';
  t.true(check('parallel_multiple_12', `[{"calculate_magnetic_field": {"current": 4.0, "distance": 2.0}}, ${volt}]`).valid);
  // permeability is optional in the schema but not in the answer
  t.is(
    errorType('parallel_multiple_12', `[{"calculate_magnetic_field": {"current": 4.0, "distance": 2.0, "permeability": 0.1}}, ${volt}]`),
    'parallel_function_checker_no_order:cannot_find_match',
  );
  t.is(errorType('simple_17', '[{"get_prime_factors": {"number": 450, "formatted": true, "verbose": true}}]'), 'simple_function_checker:unexpected_param');
});

test('§2 an answer parameter without "" must be given even when the schema does not require it', (t) => {
  // amenities is optional in the schema, but its allowed list [["Patio"]] has no ""
  t.is(errorType('simple_363', '[{"restaurant_search.find_closest": {"location": "Boston", "cuisine": "Sushi"}}]'), 'simple_function_checker:missing_optional');
});

test('§2 "" in an allowed list means "may be omitted"', (t) => {
  t.true(check('simple_178', '[{"get_lawsuit_details": {"case_number": "LAX2019080202", "court_location": "Los Angeles"}}]').valid);
  t.true(check('live_simple_256-137-0', '[{"answer_question": {"statement": "I have had submit a compaint and I like to check its status"}}]').valid);
});

test('§2 "" is also a real allowed value: a sent "" passes for a string, fails the type check otherwise', (t) => {
  const stmt = '"statement": "I have had submit a compaint and I like to check its status"';
  t.true(check('live_simple_256-137-0', `[{"answer_question": {${stmt}, "urgency": ""}}]`).valid);
  t.is(
    errorType('simple_200', '[{"calculate_emissions": {"distance": 12000, "fuel_type": "gas", "fuel_efficiency": 25.0, "efficiency_reduction": ""}}]'),
    'type_error:simple',
  );
});

test('§2 data quirk: "" on a schema-required parameter does not make it optional (simple_17)', (t) => {
  t.is(errorType('simple_17', '[{"get_prime_factors": {"number": 450}}]'), 'simple_function_checker:missing_required');
  t.true(check('simple_17', '[{"get_prime_factors": {"number": 450, "formatted": true}}]').valid);
});

// ---------------------------------------------------------------------------------------------
// §3 types

test('§3 type checks are exact: bool is not int, 1 is not bool, 450.0 is not int', (t) => {
  t.is(errorType('simple_17', '[{"get_prime_factors": {"number": true, "formatted": true}}]'), 'type_error:simple');
  t.is(errorType('simple_17', '[{"get_prime_factors": {"number": 450, "formatted": 1}}]'), 'type_error:simple');
  t.is(errorType('simple_17', '[{"get_prime_factors": {"number": 450.0, "formatted": true}}]'), 'type_error:simple');
  t.is(errorType('simple_17', '[{"get_prime_factors": {"number": "450", "formatted": true}}]'), 'type_error:simple');
});

test('§3 int → float at the top level only', (t) => {
  // x is a float with answer [5.0]: the int 5 passes
  const gcd = '{"math_gcd": {"a": 48, "b": 36}}';
  t.true(check('live_parallel_multiple_14-12-0', `[${gcd}, {"estimate_derivative": {"function": "lambda x: x**2", "x": 5}}]`).valid);
  // items of a float array are not converted: [12, 15, ...] fails the nested check
  t.is(errorType('simple_82', '[{"calculate_average": {"numbers": [12, 15, 18, 20, 21, 26, 30]}}]'), 'type_error:nested');
  t.true(check('simple_82', '[{"calculate_average": {"numbers": [12.0, 15.0, 18.0, 20.0, 21.0, 26.0, 30.0]}}]').valid);
  t.true(check('live_simple_116-72-0', '[{"sum_numbers": {"numbers_list": [133.0, 34.0]}}]').valid);
  t.is(errorType('live_simple_116-72-0', '[{"sum_numbers": {"numbers_list": [133, 34]}}]'), 'type_error:nested');
});

test('§3 values inside dicts are never type-checked, only compared with == (18 == 18.0)', (t) => {
  const data = (age: string) => `[{"extractor.extract_information": {"data": [{"name": "李雷", "age": ${age}}, {"name": "李丽", "age": 21}]}}]`;
  t.true(check('live_simple_165-98-0', data('18')).valid);
  t.true(check('live_simple_165-98-0', data('18.0')).valid);
  t.is(errorType('live_simple_165-98-0', data('"18"')), 'value_error:dict_value');
});

test('§3 tuple params take a list; any means str', (t) => {
  t.true(check('simple_83', '[{"calculate_distance": {"coord1": [33.4484, -112.074], "coord2": [34.0522, -118.2437], "unit": "miles"}}]').valid);
  t.true(check('simple_109', '[{"random_forest.train": {"n_estimators": 100, "max_depth": 5, "data": "my_data"}}]').valid);
  t.is(errorType('simple_109', '[{"random_forest.train": {"n_estimators": 100, "max_depth": 5, "data": 5}}]'), 'type_error:simple');
});

test('§3 the "variable" escape: None answers pass by exact `in`', (t) => {
  const base = '"location": "Paris, France"';
  t.true(check('live_simple_90-51-0', `[{"temperature": {${base}, "time": null}}]`).valid);
  // a str is the schema type, but the answer is a variable: compared by `in`, "None" != None
  t.is(errorType('live_simple_90-51-0', `[{"temperature": {${base}, "time": "None"}}]`), 'value_error:others');
  t.true(check('parallel_152', '[{"math.power": {"base": 2, "exponent": 3, "mod": null}}, {"math.power": {"base": 3, "exponent": 5}}]').valid);
});

test('§3 the "variable" escape: no standardising, case-sensitive ("dontcare" for a boolean)', (t) => {
  const book = '{"Services_1_BookAppointment": {"stylist_name": "Elegant Styles", "appointment_time": "15:00", "appointment_date": "2023-05-10"}}';
  const find = (v: string) => `[{"Services_1_FindProvider": {"city": "Sunnyvale, CA", "is_unisex": ${v}}}, ${book}]`;
  t.true(check('live_parallel_multiple_21-18-0', find('"dontcare"')).valid);
  t.is(errorType('live_parallel_multiple_21-18-0', find('"DontCare"')), 'parallel_function_checker_no_order:cannot_find_match');
  // a real boolean has the schema type but is not in ["", "dontcare"]
  t.is(errorType('live_parallel_multiple_21-18-0', find('true')), 'parallel_function_checker_no_order:cannot_find_match');
});

test('§3 the "variable" escape: an int answer for a float param takes 0 and 0.0 (parallel_122)', (t) => {
  const call = (type: string, ef: string) => `{"calculate_vehicle_emission": {"vehicle_type": "${type}", "miles_driven": 15000${ef === '' ? '' : `, "emission_factor": ${ef}`}}}`;
  t.true(check('parallel_122', `[${call('gas', '1.4')}, ${call('diesel', '2.7')}, ${call('EV', '0')}]`).valid);
  t.true(check('parallel_122', `[${call('gas', '')}, ${call('diesel', '2.7')}, ${call('EV', '0.0')}]`).valid);
  t.false(check('parallel_122', `[${call('gas', '')}, ${call('diesel', '2.7')}, ${call('EV', '"0"')}]`).valid);
});

test('§3 optional array: no item type checks (a "" candidate passes the nested check at once)', (t) => {
  const base = '"case_number": "LAX2019080202", "court_location": "Los Angeles"';
  // ints in an optional string array: not a type error, only a value mismatch
  t.is(errorType('simple_178', `[{"get_lawsuit_details": {${base}, "additional_details": [1, 2]}}]`), 'value_error:list/tuple');
  // the same kind of value in a required string array fails the nested type check
  t.is(errorType('simple_149', '[{"get_stock_price": {"company_names": [1, 2]}}]'), 'type_error:nested');
  // the spec's own example: simple_82 with `numbers` made optional ("" added, required dropped):
  // [12, 15, ...] passes because the item check is skipped and 12 == 12.0
  const entry = fixtureEntry('simple_82');
  const optional = {
    ...entry,
    functions: entry.functions.replace('"required": ["numbers"]', '"required": []'),
    possibleAnswer: (entry.possibleAnswer as string).replace('"numbers": [[', '"numbers": ["", ['),
  };
  t.not(optional.functions, entry.functions);
  const ints = '[{"calculate_average": {"numbers": [12, 15, 18, 20, 21, 26, 30]}}]';
  t.true(bfclCheck(optional, ints).valid);
  t.is(bfclCheck(entry, ints).errorType, 'type_error:nested');
});

// ---------------------------------------------------------------------------------------------
// §4 values

test('§4 strings: delete " ,./-_*^", Python lower(), \' → "; everything else is kept', (t) => {
  t.is(bfclStandardizeString('2024-04-01'), bfclStandardizeString(' 2024/04.01*^_, '));
  t.not(bfclStandardizeString('10:00'), bfclStandardizeString('1000'));
  t.is(bfclStandardizeString("It's"), 'it"s');
  t.is(bfclStandardizeString('A\tB'), 'a\tb');
  t.is(bfclStandardizeString('CANCÚN'), 'cancún');
  const sushi = (loc: string) => `[{"restaurant_search.find_closest": {"location": ${loc}, "cuisine": "sushi", "amenities": ["patio"]}}]`;
  t.true(check('simple_363', sushi('"boston, ma"')).valid);
  t.true(check('simple_363', sushi('" B.o-s_t*o^n "')).valid);
  t.is(errorType('simple_363', sushi('"Boston\\t"')), 'value_error:string');
  t.is(errorType('simple_363', sushi('"Boston!"')), 'value_error:string');
  // Unicode-aware lower-casing (live_parallel_3-0-3 allows "Cancún, QR")
  const w = (loc: string) => `{"get_current_weather": {"location": "${loc}"}}`;
  t.true(check('live_parallel_3-0-3', `[${w('CANCÚN, QR')}, ${w('Playa del Carmen, QR')}, ${w('Tulum, QR')}]`).valid);
});

test('§4 strings: ":" is kept, so "15:00" and "1500" differ', (t) => {
  const find = '{"Services_1_FindProvider": {"city": "Sunnyvale, CA"}}';
  const book = (time: string) => `{"Services_1_BookAppointment": {"stylist_name": "Elegant Styles", "appointment_time": "${time}", "appointment_date": "2023/05/10"}}`;
  t.true(check('live_parallel_multiple_21-18-0', `[${find}, ${book('15:00')}]`).valid);
  t.false(check('live_parallel_multiple_21-18-0', `[${find}, ${book('1500')}]`).valid);
});

test('§4 lists: top-level strings standardised, order and length matter', (t) => {
  t.true(check('simple_149', '[{"get_stock_price": {"company_names": ["APPLE", "micro soft"]}}]').valid);
  t.true(check('simple_149', '[{"get_stock_price": {"company_names": ["aapl", "msft"]}}]').valid);
  t.is(errorType('simple_149', '[{"get_stock_price": {"company_names": ["Microsoft", "Apple"]}}]'), 'value_error:list/tuple');
  t.is(errorType('simple_149', '[{"get_stock_price": {"company_names": ["Apple"]}}]'), 'value_error:list/tuple');
  t.is(errorType('simple_130', '[{"finance_calculator.npv": {"cash_flows": [30000, 25000, 20000, 15000, 10000, -50000], "discount_rate": 0.08}}]'), 'value_error:list/tuple');
});

test('§4 nested strings are not standardised (lists of lists, lists inside dict values)', (t) => {
  // simple_149 allows [["Apple"], ["Microsoft"]]: the inner strings compare exactly
  t.true(check('simple_149', '[{"get_stock_price": {"company_names": [["Apple"], ["Microsoft"]]}}]').valid);
  t.is(errorType('simple_149', '[{"get_stock_price": {"company_names": [["apple"], ["microsoft"]]}}]'), 'value_error:list/tuple');
  // simple_337: dict values are lists of strings: compared as they are
  const cards = (alex: string) =>
    `[{"poker_game_winner": {"players": ["Alex", "Sam", "Robert", "Steve"], "cards": {"Alex": ${alex}, "Sam": ["2 of diamonds", "3 of clubs"], "Robert": ["Q of hearts", "10 of hearts"], "Steve": ["4 of spades", "5 of spades"]}}}]`;
  t.true(check('simple_337', cards('["A of spades", "K of spades"]')).valid);
  t.is(errorType('simple_337', cards('["a of spades", "K of spades"]')), 'value_error:dict_value');
});

test('§4 an allowed "" becomes the candidate []: [] passes for an optional array only', (t) => {
  const npv = (years: string) => `[{"finance_calculator.npv": {"cash_flows": [-50000, 10000, 15000, 20000, 25000, 30000], "discount_rate": 0.08, "years": ${years}}}]`;
  t.true(check('simple_130', npv('[]')).valid);
  t.true(check('simple_178', '[{"get_lawsuit_details": {"case_number": "LAX2019080202", "court_location": "Los Angeles", "additional_details": []}}]').valid);
  t.is(errorType('simple_82', '[{"calculate_average": {"numbers": []}}]'), 'value_error:list/tuple');
});

test('§4 dicts: keys, standardised top-level string values, missing keys need ""', (t) => {
  const upd = (info: string) => `[{"update_user_info": {"user_id": 43523, "update_info": ${info}}}]`;
  t.true(check('simple_94', upd('{"name": "john doe", "email": "JohnDoe@email.com"}')).valid);
  t.true(check('simple_94', upd('{"email": "johndoe@email.com", "name": "John Doe"}')).valid);
  t.is(errorType('simple_94', upd('{"name": "John Doe"}')), 'value_error:dict_key');
  t.is(errorType('simple_94', upd('{"name": "John Doe", "email": "johndoe@email.com", "age": 3}')), 'value_error:dict_key');
  t.is(errorType('simple_94', upd('{"name": "Jane Doe", "email": "johndoe@email.com"}')), 'value_error:dict_value');
  // the missing-key loop runs after a value failure and overwrites its error type
  t.is(errorType('simple_94', upd('{"name": "Jane Doe"}')), 'value_error:dict_key');
  // an optional dict param with allowed ["", {}]: {} matches the empty candidate
  t.true(check('live_simple_132-85-0', '[{"requests.get": {"url": "https://example.com/device-connector-versions.json", "params": {}}}]').valid);
  t.is(errorType('live_simple_132-85-0', '[{"requests.get": {"url": "https://example.com/device-connector-versions.json", "params": {"a": 1}}}]'), 'value_error:dict_key');
});

test('§4 lists of dicts: same length, item i against candidate item i (order matters)', (t) => {
  const age = '{"field": "age", "operation": ">", "value": "25"}';
  const job = '{"field": "job", "operation": "=", "value": "engineer"}';
  const q = (conds: string) => `[{"database.query": {"table": "user", "conditions": ${conds}}}]`;
  t.true(check('simple_96', q(`[${age}, ${job}]`)).valid);
  t.is(errorType('simple_96', q(`[${job}, ${age}]`)), 'value_error:dict_value');
  t.is(errorType('simple_96', q(`[${age}]`)), 'value_error:list_dict_count');
});

test('§4 other types: `value in allowed` with Python == (value_error:others)', (t) => {
  t.is(errorType('simple_17', '[{"get_prime_factors": {"number": 451, "formatted": true}}]'), 'value_error:others');
  t.is(errorType('simple_17', '[{"get_prime_factors": {"number": 450, "formatted": false}}]'), 'value_error:others');
});

// ---------------------------------------------------------------------------------------------
// §5 several calls

test('§5 multiple: one call, and it must be the answer\'s function', (t) => {
  t.true(check('multiple_73', '[{"religion.get_origin": {"religion": "buddhism"}}]').valid);
  t.is(errorType('multiple_73', '[{"religion.get_core_beliefs": {"religion": "Buddhism"}}]'), 'simple_function_checker:wrong_func_name');
  t.is(
    errorType('multiple_73', '[{"religion.get_origin": {"religion": "Buddhism"}}, {"religion.get_origin": {"religion": "Buddhism"}}]'),
    'multiple_function_checker:wrong_count',
  );
});

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

test('§5 greedy parallel matching: 12 of the 24 orderings of a correct parallel_178 answer fail', (t) => {
  const call = (company: string, date: string) => `{"get_stock_price": {"company_name": "${company}", "date": "${date}", "exchange": "NASDAQ"}}`;
  const correct = [call('Microsoft', '2022-01-01'), call('Microsoft', '2022-02-01'), call('Apple', '2022-01-01'), call('Apple', '2022-02-01')];
  const verdicts = permutations(correct).map((p) => check('parallel_178', `[${p.join(', ')}]`));
  t.is(verdicts.length, 24);
  t.is(verdicts.filter((v) => !v.valid).length, 12);
  for (const v of verdicts.filter((x) => !x.valid)) t.is(v.errorType, 'parallel_function_checker_no_order:cannot_find_match');
  // the answer order passes; Apple first lets answer call 0 (Microsoft or Apple) take Apple's slot
  t.true(check('parallel_178', `[${correct.join(', ')}]`).valid);
  t.false(check('parallel_178', `[${[correct[2], correct[1], correct[0], correct[3]].join(', ')}]`).valid);
});

test('§5 duplicate calls fill slots that differ only in case/punctuation (parallel_116: AA vs aa)', (t) => {
  const g = (genotype: string) => `{"calculate_genotype_frequency": {"allele_frequency": 0.7, "genotype": "${genotype}"}}`;
  t.true(check('parallel_116', `[${g('AA')}, ${g('Aa')}, ${g('aa')}]`).valid);
  // "AA" twice and no "aa": the second "AA" standardises to "aa" and fills the aa slot
  t.true(check('parallel_116', `[${g('AA')}, ${g('Aa')}, ${g('AA')}]`).valid);
  t.true(check('parallel_116', `[${g('aa')}, ${g('AA')}, ${g('aA')}]`).valid);
  t.is(errorType('parallel_116', `[${g('AA')}, ${g('Aa')}]`), 'parallel_function_checker_no_order:wrong_count');
});

// ---------------------------------------------------------------------------------------------
// §6 irrelevance / relevance

test('§6 irrelevance: valid iff no call; [], [{}] and non-call shapes count as no call', (t) => {
  for (const none of ['[]', '[{}]', '[{"f": "str"}]', '"text"', '[{}, {}]', 'not json at all']) t.true(check('irrelevance_0', none).valid, none);
  const v = check('irrelevance_0', '[{"determine_body_mass_index": {"weight": 70.0, "height": 1.8}}]');
  t.false(v.valid);
  t.is(v.errorType, 'irrelevance_error:decoder_success');
  t.is(errorType('live_irrelevance_159-19-1', '[{"anything": {}}]'), 'irrelevance_error:decoder_success');
});

test('§6 live_relevance: valid iff some call, any name and any args; [{}] is no call', (t) => {
  t.true(check('live_relevance_2-2-0', '[{"search_web": {}}]').valid);
  t.true(check('live_relevance_2-2-0', '[{"not_a_listed_function": {"x": 1}}]').valid);
  for (const none of ['[]', '[{}]', '"text"']) t.is(errorType('live_relevance_2-2-0', none), 'relevance_error:decoder_failed', none);
});

test('[{}] is no call for (ir)relevance and wrong output format for AST categories', (t) => {
  t.true(check('irrelevance_1', '[{}]').valid);
  t.is(errorType('live_relevance_3-3-0', '[{}]'), 'relevance_error:decoder_failed');
  t.is(errorType('simple_17', '[{}]'), 'ast_decoder:decoder_wrong_output_format');
});

// ---------------------------------------------------------------------------------------------
// Inputs: JS values, bfclDecode results, JSON text; bad arguments

test('5 and 5.0 stay apart through bfclDecode → bfclCheck; plain JS values read integral numbers as ints', (t) => {
  const entry = fixtureEntry('simple_17');
  const text = (n: string) => `<think>x</think>\n<tool_call>\n{"name": "get_prime_factors", "parameters": {"number": ${n}, "formatted": true}}\n</tool_call>`;
  t.true(bfclCheck(entry, bfclDecode(text('450'))).valid);
  t.is(bfclCheck(entry, bfclDecode(text('450.0'))).errorType, 'type_error:simple');
  t.deepEqual(bfclDecode(text('450')), [{ get_prime_factors: { number: 450, formatted: true } }]);
  t.true(bfclCheck(entry, [{ get_prime_factors: { number: 450, formatted: true } }]).valid);
  // functions and answers as JS values too
  t.true(bfclCheck({ category: 'simple', functions: JSON.parse(entry.functions), possibleAnswer: JSON.parse(entry.possibleAnswer as string) }, '[{"get_prime_factors": {"number": 450, "formatted": true}}]').valid);
});

test('a whole possible_answer line is accepted for possibleAnswer', (t) => {
  const entry = fixtureEntry('simple_17');
  const line = `{"id": "simple_17", "ground_truth": ${entry.possibleAnswer}}`;
  t.true(bfclCheck({ ...entry, possibleAnswer: line }, '[{"get_prime_factors": {"number": 450, "formatted": true}}]').valid);
});

test('malformed entries: the official checker would raise; here the verdict is ast_checker:exception', (t) => {
  const v = bfclCheck({ category: 'simple', functions: '[]', possibleAnswer: '[{"f": {}}]' }, '[{"f": {}}]');
  t.false(v.valid);
  t.is(v.errorType, 'ast_checker:exception');
  t.regex(v.error ?? '', /IndexError/);
  // an answer naming a function that is not in the list: find_description returns None
  const p = bfclCheck({ category: 'parallel', functions: fixtureEntry('parallel_116').functions, possibleAnswer: '[{"nope": {"x": [1]}}]' }, '[{"nope": {"x": 1}}]');
  t.is(p.errorType, 'ast_checker:exception');
});

test('bad arguments are TypeError/RangeError with the project message template', (t) => {
  const e = fixtureEntry('simple_17');
  t.throws(() => bfclCheck(null as never, '[]'), { instanceOf: TypeError, message: /Expected an entry object for entry but received null/ });
  t.throws(() => bfclCheck({ ...e, category: 5 as never }, '[]'), { instanceOf: TypeError, message: /entry\.category/ });
  t.throws(() => bfclCheck({ ...e, category: 'java' }, '[]'), { instanceOf: RangeError, message: /Python AST or relevance category/ });
  t.throws(() => bfclCheck({ ...e, possibleAnswer: null }, '[]'), { instanceOf: TypeError, message: /possible answers/ });
  t.throws(() => bfclCheck({ ...e, functions: '[{' }, '[]'), { instanceOf: TypeError, message: /does not parse/ });
  t.throws(() => bfclCheck(e, undefined), { instanceOf: TypeError, message: /decoded calls/ });
  t.throws(() => bfclCheck(e, () => 1), { instanceOf: TypeError });
});

// ---------------------------------------------------------------------------------------------
// Golden cases from a Python re-statement of the official pipeline

test('288 golden cases: the same (valid, errorType) as the Python pipeline', (t) => {
  const file = path.join(BFCL_FIXTURE_DIR, 'checker_golden.jsonl');
  const cases = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; decoded: string; valid: boolean; errorType: string | null });
  t.is(cases.length, 288);
  const wrong = cases.filter((c) => {
    const v = check(c.id, c.decoded);
    return v.valid !== c.valid || v.errorType !== c.errorType;
  });
  t.deepEqual(wrong, []);
});
