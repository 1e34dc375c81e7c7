/**
 * The ToolRL output format and system prompt as lib/data writes them: Python json.dumps layout,
 * the paper's template verbatim, and the RL ground-truth check.
 */
import test from 'ava';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pyLoads } from '../lib/pycompat';
import {
  TOOLRL_SYSTEM_TEMPLATE,
  toolrlSystemPrompt,
  renderToolList,
  renderAnswer,
  renderToolCall,
  groundTruthProblem,
  RESPONSE_THINK,
  TOOL_CALL_THINK,
} from '../lib/data';

test('the system prompt template is the paper file, verbatim', async (t) => {
  t.is(TOOLRL_SYSTEM_TEMPLATE, await fs.readFile(path.join(__dirname, 'fixtures', 'toolrl', 'system_prompt_template.txt'), 'utf8'));
});

test('the tool list has the layout of the paper data (rlla_sft.json row 0)', async (t) => {
  const rows = JSON.parse(await fs.readFile(path.join(__dirname, 'fixtures', 'toolrl', 'rlla_sft.json'), 'utf8')) as { instruction: string }[];
  const tools = [
    { name: 'Search Managers', description: 'Search for managers by name and retrieve their information', parameters: pyLoads('{"name": {"description": "The name of the manager to search for", "type": "string", "default": ""}}') },
    { name: 'Daily Match List-Scheduled', description: 'Returns a list of scheduled matches for a given string.', parameters: pyLoads('{"string": {"description": "The string of the matches. The format is {dd/mm/yyyy}. Match list data can be retrieved for only \\u00b1 7 days.", "type": "string", "default": ""}}') },
    { name: 'Tennis Schedules Odds API', description: 'Retrieves schedules and odds for tennis matches.', parameters: pyLoads('{"year": {"description": "The year for which to retrieve schedules and odds.", "type": "float", "default": ""}, "day": {"description": "The day of the month for which to retrieve schedules and odds.", "type": "float", "default": ""}, "month": {"description": "The month for which to retrieve schedules and odds.", "type": "float", "default": ""}}') },
    { name: 'Event Result', description: 'Retrieve the result of a specific sports event.', parameters: pyLoads('{"lang": {"description": "The language to return the result in.", "type": "string", "default": "en"}, "evt": {"description": "The ID of the event to retrieve the result for.", "type": "float", "default": ""}}') },
    { name: 'Get Specific Fighter', description: 'Retrieve specific fighter statistics from the UFC database', parameters: pyLoads('{"FighterName": {"description": "The name of the fighter in the format \'Firstname_Lastname\'", "type": "string", "default": ""}}') },
  ];
  t.is(toolrlSystemPrompt(tools), rows[0].instruction);
  t.is(renderToolList([]), '');
});

test('calls are written as Python json.dumps writes them', (t) => {
  t.is(renderToolCall({ name: 'f', parameters: { a: 1, b: 2.5, c: true, d: null, e: ['x', 'é'], f: { g: 'h' } } }), '{"name": "f", "parameters": {"a": 1, "b": 2.5, "c": true, "d": null, "e": ["x", "\\u00e9"], "f": {"g": "h"}}}');
  // A PyDict keeps Python's number kinds and key order.
  t.is(renderToolCall({ name: 'f', parameters: pyLoads('{"2": 1.0, "1": 10000000000000000000001, "x": 1e-05}') as Map<string, never> }), '{"name": "f", "parameters": {"2": 1.0, "1": 10000000000000000000001, "x": 1e-05}}');
});

test('answers: think, tool calls, response', (t) => {
  const calls = [
    { name: 'a', parameters: { x: 1 } },
    { name: 'b', parameters: {} },
  ];
  t.is(renderAnswer({ think: TOOL_CALL_THINK, calls }), `<think> ${TOOL_CALL_THINK} </think>\n<tool_call>\n{"name": "a", "parameters": {"x": 1}}\n{"name": "b", "parameters": {}}\n</tool_call>`);
  t.is(renderAnswer({ think: RESPONSE_THINK, response: 'Hi.' }), `<think> ${RESPONSE_THINK} </think>\n<response> Hi. </response>`);
  t.is(renderAnswer({ think: 't', calls: [calls[1]], response: 'r' }), '<think> t </think>\n<tool_call>\n{"name": "b", "parameters": {}}\n</tool_call>\n<response> r </response>');
  t.throws(() => renderAnswer({ think: 't', calls: [] }), { instanceOf: RangeError });
});

test('groundTruthProblem: null for usable ground truths, the reason otherwise', (t) => {
  t.is(groundTruthProblem(renderAnswer({ think: 'x', calls: [{ name: 'a', parameters: {} }] })), null);
  t.is(groundTruthProblem('<think> x </think>\n<response> y </response>'), null);
  t.regex(groundTruthProblem('<think> I will use <tool_call> here </think>\n<tool_call>\n{"name": "a", "parameters": {}}\n</tool_call>')!, /<tool_call>/);
  t.truthy(groundTruthProblem('<think> x </think>\n<tool_call>\n{"parameters": {}}\n</tool_call>'));
  t.truthy(groundTruthProblem('<think> x </think>\n<tool_call>\n{"name": "a", "parameters": []}\n</tool_call>'));
});
