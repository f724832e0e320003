// The real `sightline` binary (bin/ shim → dist/): `--version` proves the three-line shim works.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt, ROOT } from '../support/process.js';

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(() => ensureBuilt());

describe('bin/sightline.js', () => {
  it('node bin/sightline.js --version prints the package version and exits 0', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, '--version'], { cwd: ROOT });
    expect(stdout).toBe(`${version}\n`);
    expect(stderr).toBe('');
  });
});
