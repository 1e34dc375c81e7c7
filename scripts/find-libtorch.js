#!/usr/bin/env node
/**
 * Finds a LibTorch to build against, in this order (README "Using another LibTorch"):
 *   1. LIBTORCH            a LibTorch root (the unpacked libtorch zip, or a prefix)
 *   2. Torch_DIR           the folder holding TorchConfig.cmake
 *   3. CMAKE_PREFIX_PATH   prefixes searched for share/cmake/Torch or lib/cmake/Torch
 *   4. Debian/Ubuntu       /usr/lib/<multiarch>/cmake/Torch (package libtorch-dev)
 *   5. Python              `python3 -c "import torch; print(torch.utils.cmake_prefix_path)"`
 * Used by scripts/setup.js (npm install) and binding.gyp (node-gyp route):
 *   node scripts/find-libtorch.js            -> JSON {torchDir, root, source, includeDirs, libDir}
 *   node scripts/find-libtorch.js --include  -> include dirs, one per line (for gyp)
 *   node scripts/find-libtorch.js --libdir   -> library dir (for gyp)
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

function hasConfig(dir) {
  return !!dir && fs.existsSync(path.join(dir, 'TorchConfig.cmake'));
}

/** From a folder with TorchConfig.cmake (<root>/share/cmake/Torch or <root>/lib/<arch>/cmake/Torch) to <root>. */
function rootOf(torchDir) {
  let d = path.resolve(torchDir);
  for (let i = 0; i < 5; i++) {
    d = path.dirname(d);
    if (fs.existsSync(path.join(d, 'include', 'torch'))) return d;
  }
  return path.resolve(torchDir, '..', '..', '..');
}

function candidatesFromPrefix(prefix) {
  return [path.join(prefix, 'share', 'cmake', 'Torch'), path.join(prefix, 'lib', 'cmake', 'Torch'), path.join(prefix, 'Torch'), prefix];
}

function describe(torchDir, source) {
  const root = rootOf(torchDir);
  let libDir = path.join(root, 'lib');
  const libc10 = ['libc10.so'];
  if (!libc10.some((f) => fs.existsSync(path.join(libDir, f)))) {
    // Debian: /usr/lib/x86_64-linux-gnu/cmake/Torch -> libs in /usr/lib/x86_64-linux-gnu
    const multi = path.resolve(torchDir, '..', '..');
    if (fs.existsSync(path.join(multi, 'libc10.so'))) libDir = multi;
  }
  return {
    torchDir,
    root,
    source,
    includeDirs: [path.join(root, 'include'), path.join(root, 'include', 'torch', 'csrc', 'api', 'include')],
    libDir,
  };
}

function findLibtorch() {
  const env = process.env;
  if (env.LIBTORCH) {
    const hit = candidatesFromPrefix(env.LIBTORCH).find(hasConfig);
    if (!hit) throw new Error(`LIBTORCH=${env.LIBTORCH} does not contain share/cmake/Torch/TorchConfig.cmake`);
    return describe(hit, 'LIBTORCH');
  }
  if (env.Torch_DIR) {
    if (!hasConfig(env.Torch_DIR)) throw new Error(`Torch_DIR=${env.Torch_DIR} does not contain TorchConfig.cmake`);
    return describe(env.Torch_DIR, 'Torch_DIR');
  }
  for (const prefix of (env.CMAKE_PREFIX_PATH || '').split(path.delimiter).filter(Boolean)) {
    const hit = candidatesFromPrefix(prefix).find(hasConfig);
    if (hit) return describe(hit, 'CMAKE_PREFIX_PATH');
  }
  if (fs.existsSync('/usr/lib')) {
    for (const arch of fs.readdirSync('/usr/lib')) {
      const d = path.join('/usr/lib', arch, 'cmake', 'Torch');
      if (hasConfig(d)) return describe(d, 'debian');
    }
  }
  for (const py of ['python3', 'python']) {
    try {
      const out = execFileSync(py, ['-c', 'import torch.utils; print(torch.utils.cmake_prefix_path)'], {
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 60000,
      }).toString().trim();
      const d = path.join(out, 'Torch');
      if (hasConfig(d)) return describe(d, `python (${py})`);
    } catch {
      // no torch in this interpreter
    }
  }
  return null;
}

module.exports = { findLibtorch };

if (require.main === module) {
  const t = findLibtorch();
  if (!t) {
    process.stderr.write('No LibTorch found (set LIBTORCH, Torch_DIR or CMAKE_PREFIX_PATH, or apt-get install libtorch-dev)\n');
    process.exit(1);
  }
  const arg = process.argv[2];
  if (arg === '--include') process.stdout.write(t.includeDirs.join('\n') + '\n');
  else if (arg === '--libdir') process.stdout.write(t.libDir + '\n');
  else process.stdout.write(JSON.stringify(t, null, 2) + '\n');
}
