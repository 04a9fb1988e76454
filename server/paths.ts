/**
 * The project root, found by walking up from this module to package.json, so that paths stay
 * right both when run from source (tsx) and from the production bundle in dist/.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(import.meta.dirname);
