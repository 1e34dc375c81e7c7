/** `node train.js [eval] ...`: dispatches to the training pipeline or the evaluation command. */
import { evalCommand } from './eval';
import { trainCommand } from './train';
import { UsageError } from './args';

export async function main(argv: string[]): Promise<number> {
  try {
    if (argv[0] === 'eval') return await evalCommand(argv.slice(1));
    return await trainCommand(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`train.js: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`train.js: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
