// Where the repository is, found from this module's own location: the same answer from the TypeScript
// source (test/support/) and from its build (dist/test/support/, which the benchmarks import).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('test/support is not inside the Sightline repository');
    directory = parent;
  }
  return directory;
}

export const ROOT = repositoryRoot();
export const FIXTURES = join(ROOT, 'test', 'fixtures');
