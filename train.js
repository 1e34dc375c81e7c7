#!/usr/bin/env node
// `node train.js [options]` — toolrl's command line (lib/cli). `node train.js --help` lists options;
// `node train.js eval --help` the evaluation command. Runs the compiled library in dist/.
'use strict';
let cli;
try {
  cli = require('./dist/lib/cli/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/lib/cli/main')) {
    process.stderr.write('train.js: toolrl is not built yet. Run `npm install` first (it builds the addon and the TypeScript).\n');
    process.exit(1);
  }
  throw err;
}
cli.main(process.argv.slice(2)).then((code) => process.exit(code));
