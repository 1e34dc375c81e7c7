#!/usr/bin/env node
// Lists the addon's C++ sources (the same folders CMakeLists.txt globs), one per line, for binding.gyp.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dirs = ['model', 'rollout', 'loss', 'io', 'runtime', 'train', 'kernels', 'napi'];
const files = ['native/addon.cc'];
for (const d of dirs) {
  const abs = path.join(root, 'native', d);
  if (!fs.existsSync(abs)) continue;
  for (const f of fs.readdirSync(abs).sort()) if (f.endsWith('.cc')) files.push(`native/${d}/${f}`);
}
process.stdout.write(files.join('\n') + '\n');
