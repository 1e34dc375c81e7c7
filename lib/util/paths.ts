/** Locating files shipped with the package (assets/), from lib/ under tsx or dist/lib/ when compiled. */
import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

/** The folder holding toolrl's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'toolrl') return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find toolrl's package.json above ${__dirname}`);
    dir = up;
  }
}
