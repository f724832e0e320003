// The documents comments cite are in the repository: no file under src/, web/, bench/, test/ or docs/
// (nor the README) cites the specs Sightline was built from, and every `docs/….md §N` cited is a numbered
// heading of that document. The checker itself is tried on planted bad citations first.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { citationProblems, numberedHeadings, type RepositoryView } from './citations.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['src', 'web', 'bench', 'test', 'docs'];
const TEXT_EXTENSIONS = /\.(?:[cm]?[jt]s|tsx|html|css|md|py|sh|ya?ml)$/;
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'out']);
/** The checker and its tests quote bad citations on purpose. */
const SKIPPED_FILES = new Set(['test/docs/citations.ts', 'test/docs/citations.test.ts']);

const toPosix = (path: string): string => path.split(sep).join('/');

function filesUnder(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) found.push(...filesUnder(path));
    } else if (TEXT_EXTENSIONS.test(entry.name)) {
      const file = toPosix(relative(ROOT, path));
      if (!SKIPPED_FILES.has(file)) found.push(file);
    }
  }
  return found;
}

const repository: RepositoryView = {
  isFile(path) {
    try {
      return statSync(join(ROOT, path)).isFile();
    } catch {
      return false;
    }
  },
  headings: (path) => numberedHeadings(readFileSync(join(ROOT, path), 'utf8')),
};

/** A repository of two files for the checker's own tests. */
const planted: RepositoryView = {
  isFile: (path) => path === 'docs/rules/images.md' || path === 'docs/views.md',
  headings: (path) => (path === 'docs/rules/images.md' ? new Set(['3', '3.5', '6', '6.1']) : new Set()),
};

describe('the citation checker', () => {
  it('accepts citations of sections that exist, lists and ranges included', () => {
    const text = [
      '// checks in order (docs/rules/images.md §3), details (docs/rules/images.md §3.5, §6.1)',
      '// docs/rules/images.md §6.1 (2026-09) and §6; docs/rules/images.md §3–§6; see docs/views.md',
    ].join('\n');
    expect(citationProblems('src/a.ts', text, planted)).toEqual([]);
  });

  it('flags a document that is not in the repository', () => {
    expect(citationProblems('src/a.ts', '// the checks (vision.md §2)', planted)).toEqual([
      'src/a.ts:1: cites vision.md, which is not a file of the repository',
      'src/a.ts:1: "§2" does not say which document it cites: write docs/rules/<doc>.md §2',
    ]);
    expect(citationProblems('src/a.ts', '/** wire.md §4.1 */', planted)[0]).toContain('cites wire.md');
  });

  it('flags a section the document does not have', () => {
    expect(citationProblems('src/a.ts', '\n// (docs/rules/images.md §3, §4)', planted)).toEqual([
      'src/a.ts:2: docs/rules/images.md has no section 4 (cited as "§4")',
    ]);
    expect(citationProblems('src/a.ts', '// docs/rules/images.md §2–§3', planted)).toHaveLength(1);
  });

  it('flags the external specs named without an extension, and their source tags', () => {
    const text = '// current-api §5, D-errors, pipeline-notes, ../shared/spec';
    expect(citationProblems('src/a.ts', text, planted)).toHaveLength(5); // the § has no document either
  });

  it('reads a bare § in a Markdown file as a section of that file', () => {
    expect(citationProblems('docs/rules/images.md', 'see §6.1 and §7', planted)).toEqual([
      'docs/rules/images.md:1: docs/rules/images.md has no section 7 (cited as "§7")',
    ]);
  });
});

describe('citations in the repository', () => {
  const files = [...SCANNED.flatMap((directory) => filesUnder(join(ROOT, directory))), 'README.md'];

  it('scans the code, the tests and the docs', () => {
    expect(files).toEqual(expect.arrayContaining(['src/imaging/plan.ts', 'docs/rules/images.md']));
  });

  it('cite only documents in the repository, and only sections those documents have', () => {
    const problems = files.flatMap((file) =>
      citationProblems(file, readFileSync(join(ROOT, file), 'utf8'), repository),
    );
    expect(problems).toEqual([]);
  });
});
