/**
 * `node train.js eval`: runs a model (or the oracle) over BFCL or API-Bank, prints a table and
 * writes a JSON report with every item (prompt, raw output, decoded calls, verdict, error type).
 *
 *   node train.js eval --bench bfcl --data ../shared/data/bfcl --oracle
 *   node train.js eval --bench apibank --data ../shared/data/toolrl --model runs/qwen-grpo --limit 50
 *
 * Exit codes: 0 done; 1 the run failed (data incomplete, model cannot load, or in oracle mode a
 * satisfiable entry scored invalid, i.e. a harness bug); 2 bad arguments.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_EVAL_CONFIG } from '../config';
import { apiBankOracle, loadApiBank, runApiBank } from '../eval/apiBank';
import { BFCL_V3_CATEGORIES, loadBfcl } from '../eval/bfclData';
import { bfclOracle } from '../eval/bfclOracle';
import { runBfcl } from '../eval/bfclRunner';
import { policyGenerator, type TextGenerator } from '../eval/generator';
import { formatApiBankTable, formatBfclTable, reportObject } from '../eval/report';

export const EVAL_HELP = `Usage: node train.js eval --bench bfcl|apibank --data PATH (--model DIR | --oracle) [options]

Evaluate a model the way the ToolRL paper does, or check the harness with --oracle.

  --bench bfcl|apibank   bfcl: BFCL v3 Python categories, scored by the official AST rules with
                         the ToolRL harness prompt and decoder; apibank: API-Bank levels 1-3
  --data PATH            bfcl: folder with BFCL_v3_<category>.json and possible_answer/;
                         apibank: folder with api-bank-level-{1,2,3}.json, or one level file
  --model DIR            Hugging Face model folder (config.json, *.safetensors, tokenizer.json,
                         tokenizer_config.json); generation is greedy
  --oracle               no model: answer with the gold answers (checks the harness; every
                         satisfiable BFCL entry must come out valid)
  --limit N              first N items of each category / level
  --categories a,b,...   bfcl only: categories to run (default: all 11)
                         ${BFCL_V3_CATEGORIES.join(', ')}
  --out FILE             JSON report (default: eval-<bench>[-oracle].json)
  --batch-size N         prompts per generate call (default ${DEFAULT_EVAL_CONFIG.batchSize})
  --max-new-tokens N     longest completion in tokens (default ${DEFAULT_EVAL_CONFIG.maxNewTokens})
  --quiet                no progress on stderr
  -h, --help             this text

Exit codes: 0 done, 1 run failed (or an oracle harness failure), 2 bad arguments.
`;

interface EvalArgs {
  bench: 'bfcl' | 'apibank';
  data: string;
  model?: string;
  oracle: boolean;
  limit?: number;
  categories?: string[];
  out: string;
  batchSize: number;
  maxNewTokens: number;
  quiet: boolean;
}

class UsageError extends Error {}

const VALUE_FLAGS = ['--bench', '--data', '--model', '--limit', '--categories', '--out', '--batch-size', '--max-new-tokens'] as const;

function positiveInt(flag: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${flag} expects a positive integer but received ${JSON.stringify(v)}`);
  return Number(v);
}

/** Parses eval's arguments; throws UsageError with a message for anything wrong. */
function parseArgs(argv: string[]): EvalArgs {
  const values = new Map<string, string>();
  let oracle = false;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (flag === '--oracle' || flag === '--quiet') {
      if (eq > 0) throw new UsageError(`${flag} takes no value`);
      if (flag === '--oracle') oracle = true;
      else quiet = true;
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) {
      throw new UsageError(a.startsWith('-') ? `unknown option ${a}` : `unexpected argument ${JSON.stringify(a)}`);
    }
    const value = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || (value.startsWith('--') && eq < 0)) throw new UsageError(`${flag} needs a value`);
    if (values.has(flag)) throw new UsageError(`${flag} given twice`);
    values.set(flag, value);
  }

  const bench = values.get('--bench');
  if (bench === undefined) throw new UsageError('--bench is required (bfcl or apibank)');
  if (bench !== 'bfcl' && bench !== 'apibank') throw new UsageError(`--bench must be bfcl or apibank, not ${JSON.stringify(bench)}`);
  const data = values.get('--data');
  if (data === undefined) throw new UsageError('--data is required');
  if (!fs.existsSync(data)) throw new UsageError(`--data ${data}: no such file or directory`);
  const model = values.get('--model');
  if (oracle && model !== undefined) throw new UsageError('--oracle and --model exclude each other');
  if (!oracle && model === undefined) throw new UsageError('give --model DIR, or --oracle to score the gold answers');
  if (model !== undefined && !(fs.existsSync(model) && fs.statSync(model).isDirectory())) {
    throw new UsageError(`--model ${model}: not a directory`);
  }
  let categories: string[] | undefined;
  const cats = values.get('--categories');
  if (cats !== undefined) {
    if (bench !== 'bfcl') throw new UsageError('--categories applies to --bench bfcl only');
    categories = cats.split(',').map((c) => c.trim()).filter((c) => c !== '');
    const unknown = categories.filter((c) => !(BFCL_V3_CATEGORIES as readonly string[]).includes(c));
    if (categories.length === 0 || unknown.length > 0) {
      throw new UsageError(`--categories: unknown ${unknown.join(', ') || '(empty)'}; choose from ${BFCL_V3_CATEGORIES.join(', ')}`);
    }
  }
  const limit = values.has('--limit') ? positiveInt('--limit', values.get('--limit') as string) : undefined;
  return {
    bench,
    data,
    model,
    oracle,
    limit,
    categories,
    out: values.get('--out') ?? `eval-${bench}${oracle ? '-oracle' : ''}.json`,
    batchSize: values.has('--batch-size') ? positiveInt('--batch-size', values.get('--batch-size') as string) : DEFAULT_EVAL_CONFIG.batchSize,
    maxNewTokens: values.has('--max-new-tokens')
      ? positiveInt('--max-new-tokens', values.get('--max-new-tokens') as string)
      : DEFAULT_EVAL_CONFIG.maxNewTokens,
    quiet,
  };
}

/** Stop ids for generation: the tokenizer's EOS, `<|im_end|>`, and generation_config.json's eos_token_id. */
function stopTokenIds(modelDir: string, tokenizer: { eosTokenId: number | undefined; tokenToId(t: string): number | undefined }): number[] {
  const ids = new Set<number>();
  if (tokenizer.eosTokenId !== undefined) ids.add(tokenizer.eosTokenId);
  const imEnd = tokenizer.tokenToId('<|im_end|>');
  if (imEnd !== undefined) ids.add(imEnd);
  for (const f of ['generation_config.json', 'config.json']) {
    try {
      const eos = (JSON.parse(fs.readFileSync(path.join(modelDir, f), 'utf8')) as { eos_token_id?: unknown }).eos_token_id;
      for (const id of Array.isArray(eos) ? eos : [eos]) if (Number.isInteger(id)) ids.add(id as number);
    } catch {
      // optional files
    }
  }
  return [...ids];
}

/** The policy as a TextGenerator (loaded lazily: --oracle runs need neither the addon nor a model). */
async function modelGenerator(dir: string, args: EvalArgs): Promise<TextGenerator> {
  // require, not import: loading lib/policy loads the native addon, which --oracle runs never need.
  const { Policy } = require('../policy') as typeof import('../policy');
  const { Tokenizer } = require('../data/tokenizer') as typeof import('../data/tokenizer');
  const { ChatTemplate } = require('../data/template') as typeof import('../data/template');
  const policy = await Policy.load(dir);
  const tokenizer = await Tokenizer.fromFile(dir);
  let template;
  try {
    template = await ChatTemplate.fromTokenizerConfig(dir);
  } catch {
    template = ChatTemplate.chatml(); // the ToolRL harness writes ChatML itself (spec §7)
  }
  const stops = stopTokenIds(dir, tokenizer);
  if (stops.length === 0) throw new Error(`${dir}: no EOS or <|im_end|> token found; generation would never stop early`);
  return policyGenerator(policy, tokenizer, template, { maxNewTokens: args.maxNewTokens, stopTokenIds: stops });
}

/** `node train.js eval ...`: returns the process exit code. */
export async function evalCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(EVAL_HELP);
    return 0;
  }
  let args: EvalArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`eval: ${err.message}\nRun 'node train.js eval --help' for usage.\n`);
    return 2;
  }
  const progress = (what: string, done: number, total: number) => {
    if (args.quiet) return;
    if (process.stderr.isTTY) process.stderr.write(`\r${what}: ${done}/${total}   ${done === total ? '\n' : ''}`);
    else if (done === total) process.stderr.write(`${what}: ${done}/${total}\n`);
  };
  const started = Date.now();
  try {
    const meta = {
      command: ['eval', ...argv].join(' '),
      mode: args.oracle ? 'oracle' : 'model',
      model: args.oracle ? null : path.resolve(args.model as string),
      limit: args.limit ?? null,
      generation: args.oracle ? null : { temperature: 0, maxNewTokens: args.maxNewTokens, batchSize: args.batchSize },
      startedAt: new Date(started).toISOString(),
    };
    let table: string;
    let report: Record<string, unknown>;
    let exitCode = 0;
    if (args.bench === 'bfcl') {
      const dataset = loadBfcl(args.data, { categories: args.categories, limit: args.limit });
      let generate: TextGenerator;
      let oracleAnswers;
      if (args.oracle) {
        const o = bfclOracle(dataset.categories.flatMap((c) => c.entries));
        generate = o.generate;
        oracleAnswers = o.answers;
      } else {
        generate = await modelGenerator(args.model as string, args);
      }
      const result = await runBfcl(dataset, generate, { batchSize: args.batchSize, oracleAnswers, onProgress: progress });
      table = formatBfclTable(result);
      report = reportObject(result, { ...meta, seconds: (Date.now() - started) / 1000 });
      if (result.oracle !== undefined && result.oracle.unexpectedFailures.length > 0) exitCode = 1;
    } else {
      const items = await loadApiBank(args.data, { limit: args.limit });
      const generate = args.oracle ? apiBankOracle(items) : await modelGenerator(args.model as string, args);
      const result = await runApiBank(items, generate, {
        batchSize: args.batchSize,
        dataPath: args.data,
        onProgress: (d, t) => progress('api-bank', d, t),
      });
      table = formatApiBankTable(result);
      report = reportObject(result, { ...meta, seconds: (Date.now() - started) / 1000 });
      if (args.oracle && result.overall.correct !== result.overall.total) exitCode = 1;
    }
    fs.writeFileSync(args.out, `${JSON.stringify(report, null, 1)}\n`);
    process.stdout.write(`${table}\n\nReport: ${args.out}\n`);
    return exitCode;
  } catch (err) {
    process.stderr.write(`eval: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
