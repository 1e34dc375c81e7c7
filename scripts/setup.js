#!/usr/bin/env node
/**
 * `npm install` runs this (package.json "install"): find or install LibTorch, build the addon,
 * compile the TypeScript, then check which BLAS LibTorch runs on.
 *   - LibTorch is looked up as scripts/find-libtorch.js describes. When none is found and apt can
 *     be used (Linux, root, apt-get present), Debian's libtorch-dev is installed.
 *   - OpenBLAS: with Debian's libtorch, libopenblas0-pthread is not pulled in by
 *     --no-install-recommends, and without it libblas.so.3 is the reference BLAS (~40x slower).
 *     It is installed when apt can be used, otherwise a loud warning is printed.
 * Env: TOOLRL_NO_APT=1 never calls apt-get; TOOLRL_SKIP_NATIVE=1 skips the addon build.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { findLibtorch } = require('./find-libtorch');

const root = path.resolve(__dirname, '..');

function log(msg) {
  process.stderr.write(`[toolrl setup] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function aptUsable() {
  return process.platform === 'linux' && process.env.TOOLRL_NO_APT !== '1' && typeof process.getuid === 'function' &&
    process.getuid() === 0 && which('apt-get');
}

let aptUpdated = false;
function aptInstall(pkgs) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq'], { env });
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { env });
}

function debianPackageInstalled(name) {
  return spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes('install ok installed');
}

function warnBlas(detail) {
  const bar = '*'.repeat(78);
  process.stderr.write(`\n${bar}\n* toolrl WARNING: LibTorch will run on the reference BLAS (${detail}).\n` +
    '* Matrix products will be ~40x slower. Fix: apt-get install libopenblas0-pthread\n' +
    `* (or use a LibTorch built with MKL/OpenBLAS via LIBTORCH=...).\n${bar}\n\n`);
}

function main() {
  if (process.env.TOOLRL_SKIP_NATIVE === '1') {
    log('TOOLRL_SKIP_NATIVE=1: skipping the native build');
  } else {
    const tools = ['cmake', 'g++', 'make'].filter((t) => !which(t));
    if (tools.length && aptUsable()) aptInstall(tools.map((t) => (t === 'g++' ? 'g++' : t)));
    let torch = findLibtorch();
    if (!torch) {
      if (!aptUsable()) {
        throw new Error('No LibTorch found. Set LIBTORCH (a LibTorch folder), Torch_DIR or CMAKE_PREFIX_PATH, ' +
          'or install Debian/Ubuntu\'s libtorch-dev and libopenblas0-pthread (as root this script does it for you).');
      }
      log('no LibTorch found: installing Debian\'s libtorch-dev and libopenblas0-pthread');
      aptInstall(['libtorch-dev', 'libopenblas0-pthread']);
      torch = findLibtorch();
      if (!torch) throw new Error('libtorch-dev was installed but TorchConfig.cmake was not found');
    }
    log(`LibTorch: ${torch.torchDir} (found via ${torch.source})`);
    if (torch.source === 'debian' && !debianPackageInstalled('libopenblas0-pthread')) {
      if (aptUsable()) aptInstall(['libopenblas0-pthread']);
      else warnBlas('Debian libtorch without libopenblas0-pthread');
    }
    const cmakeJs = path.join(root, 'node_modules', '.bin', 'cmake-js');
    run(cmakeJs, ['build', `--CDTorch_DIR=${torch.torchDir}`]);
  }
  run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  if (process.env.TOOLRL_SKIP_NATIVE !== '1') {
    const check = spawnSync(process.execPath, ['-e',
      "const a=require('bindings')('toolrl_addon');process.stdout.write(JSON.stringify(a.runtimeInfo()))"],
    { cwd: root, encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`the addon was built but does not load:\n${check.stderr}`);
    const info = JSON.parse(check.stdout);
    log(`addon loads: LibTorch ${info.torchVersion}, BLAS: ${info.blasConfig}`);
    if (!info.openblas) warnBlas(info.blasConfig);
  }
  log('done');
}

try {
  main();
} catch (err) {
  process.stderr.write(`\n[toolrl setup] FAILED: ${err.message}\n`);
  process.exit(1);
}
