#!/usr/bin/env node
/**
 * Proves the node-gyp route builds and works (`npm run build:gyp`; CI runs it): copies
 * binding.gyp, native/ and scripts/ into a temporary folder (so cmake-js's build/ is untouched),
 * runs `node-gyp rebuild` there, loads the resulting addon and scores a tiny random model.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'toolrl-gyp-'));
for (const item of ['binding.gyp', 'native', 'scripts', 'package.json']) {
  fs.cpSync(path.join(root, item), path.join(work, item), { recursive: true });
}
fs.symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'));

let nodeGyp = process.env.npm_config_node_gyp;
if (!nodeGyp || !fs.existsSync(nodeGyp)) {
  nodeGyp = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
}
const args = [nodeGyp, 'rebuild', `--jobs=${os.availableParallelism?.() ?? 2}`];
const nodedir = process.env.npm_config_nodedir || path.resolve(path.dirname(process.execPath), '..');
if (fs.existsSync(path.join(nodedir, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${nodedir}`);
const t0 = Date.now();
const r = spawnSync(process.execPath, args, { cwd: work, stdio: 'inherit' });
if (r.status !== 0) {
  process.stderr.write(`node-gyp build failed (exit ${r.status}); tree left at ${work}\n`);
  process.exit(1);
}
const addonPath = path.join(work, 'build', 'Release', 'toolrl_addon.node');
const smoke = `
const a = require(${JSON.stringify(addonPath)});
const cfg = { vocabSize: 32, hiddenSize: 16, numHiddenLayers: 1, numAttentionHeads: 2, numKeyValueHeads: 1,
  intermediateSize: 24, ropeTheta: 10000, rmsNormEps: 1e-6, tieWordEmbeddings: true, attentionBias: true, ropeScaling: null };
const p = new a.NativePolicy(cfg, 1);
p.logprobs(Int32Array.from([1, 2, 3]), Int32Array.from([0, 3]), Int32Array.from([1]), { sharePrompts: true }).then((lp) => {
  if (lp.length !== 2 || !lp.every(Number.isFinite)) throw new Error('bad logprobs ' + lp);
  let threw = false;
  try { new a.NativePolicy({ ...cfg, hiddenSize: 15 }, 1); } catch (e) { threw = e instanceof RangeError; }
  if (!threw) throw new Error('expected a RangeError for a bad config');
  console.log('node-gyp addon OK: logprobs ' + Array.from(lp).map((x) => x.toFixed(4)).join(', '));
});`;
const s = spawnSync(process.execPath, ['-e', smoke], { stdio: 'inherit' });
fs.rmSync(work, { recursive: true, force: true });
if (s.status !== 0) process.exit(1);
process.stderr.write(`node-gyp route: built and checked in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
