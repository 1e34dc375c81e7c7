/**
 * Benchmark entry: `npm run bench -- <name> [--config NAME] [more flags]`.
 * Runs bench/<name>.bench.ts, whose exported `main(args)` prints one JSON line per measurement
 * to stdout (progress and notes go to stderr). Shapes come from bench/configs.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const available = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''));
  if (!name || !available.includes(name)) {
    process.stderr.write(`usage: npm run bench -- <name> [--config NAME]\navailable: ${available.join(', ')}\n`);
    process.exit(2);
  }
  const mod = require(path.join(__dirname, `${name}.bench.ts`)) as { main(args: string[]): Promise<void> };
  await mod.main(rest);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
