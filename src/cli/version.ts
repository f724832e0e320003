// The package version, read once from the nearest package.json above this file (src/ or dist/src/).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(start: string): string {
  for (let directory = start; ; directory = dirname(directory)) {
    const candidate = join(directory, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(directory) === directory) throw new Error('package.json not found');
  }
}

export const VERSION: string = (
  JSON.parse(readFileSync(findPackageJson(dirname(fileURLToPath(import.meta.url))), 'utf8')) as {
    version: string;
  }
).version;
