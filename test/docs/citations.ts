// Finds citations a reader of the repository cannot follow: a Markdown document that is not in the
// repository (the specs Sightline was built from stay outside it; docs/rules/ says the same in our own
// words), a source tag of those specs (`D-errors`), or a `§N` that is not a numbered heading of the
// document it names. Pure: the caller supplies the files and the repository's view of paths.
import { posix } from 'node:path';

export interface RepositoryView {
  /** Whether a repository-relative path (posix) is a file of the repository. */
  isFile(path: string): boolean;
  /** The numbered headings (`## 3.`, `### 3.5`) of a Markdown file: '3', '3.5', …; empty when none. */
  headings(path: string): ReadonlySet<string>;
}

/** `some/path.md`, `../views.md`, `README.md` (not the bare extension `.md`). */
const MARKDOWN_PATH = /(?:\.{1,2}\/|[\w-])[\w./-]*\.md\b/g;
/** `§3`, `§ 3.5`, and ranges `§1–§5`, `§2-3`. */
const SECTION = /§\s?(\d+(?:\.\d+)*)(?:\s?[–-]\s?§?(\d+(?:\.\d+)*))?/g;
/** Source tags and names of the external specs, which mean nothing to a reader of the repository. */
const EXTERNAL_MARKERS = [
  /\bD-(?:errors|coords|vision|handle|rl|ov|ver|auth|depr|model)\b/,
  /\bshared\/spec\b/,
  /\bpipeline-notes\b/,
  /\bcurrent-api\b/,
];
/** A section reference right after a document name: `images.md §3`, `images.md's §3`. */
const MAX_GAP_AFTER_DOCUMENT = 4;
/** A section reference continuing a list: `§2.3, §3`, `§8.1 (2026-09) and §8.2`. */
const MAX_GAP_IN_LIST = 20;

interface Mention {
  path: string;
  start: number;
  end: number;
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/** Resolves a mentioned Markdown path: relative to the citing file, else to the repository root. */
function resolveMention(mentioned: string, citingFile: string, repo: RepositoryView): string | null {
  const candidates = [posix.join(posix.dirname(citingFile), mentioned), posix.normalize(mentioned)];
  return candidates.find((path) => !path.startsWith('..') && repo.isFile(path)) ?? null;
}

const isInsideUrl = (text: string, index: number): boolean => {
  const start = Math.max(text.lastIndexOf(' ', index), text.lastIndexOf('\n', index), 0);
  return text.slice(start, index).includes('://');
};

/** Every problem in one file, as `path:line: what`. `file` is repository-relative (posix). */
export function citationProblems(file: string, text: string, repo: RepositoryView): string[] {
  const problems: string[] = [];
  const report = (index: number, message: string) =>
    problems.push(`${file}:${lineOf(text, index)}: ${message}`);

  for (const marker of EXTERNAL_MARKERS) {
    const global = new RegExp(marker.source, 'g');
    for (const match of text.matchAll(global)) {
      report(match.index, `cites "${match[0]}", which is not in the repository: cite docs/rules/ instead`);
    }
  }

  const mentions: Mention[] = [];
  for (const match of text.matchAll(MARKDOWN_PATH)) {
    if (isInsideUrl(text, match.index)) continue;
    const resolved = resolveMention(match[0], file, repo);
    if (resolved === null) {
      report(match.index, `cites ${match[0]}, which is not a file of the repository`);
      continue;
    }
    mentions.push({ path: resolved, start: match.index, end: match.index + match[0].length });
  }

  // Each § belongs to the document named just before it, or continues the list of the § before it;
  // in a Markdown file a § on its own means a section of that file.
  let previous: { document: string; end: number } | null = null;
  for (const match of text.matchAll(SECTION)) {
    const start = match.index;
    const before = mentions.filter((mention) => mention.end <= start).at(-1);
    let document: string | null = null;
    if (before !== undefined && start - before.end <= MAX_GAP_AFTER_DOCUMENT) document = before.path;
    else if (
      previous !== null &&
      start - previous.end <= MAX_GAP_IN_LIST &&
      !(before !== undefined && before.start >= previous.end)
    )
      document = previous.document;
    else if (file.endsWith('.md')) document = file;
    if (document === null) {
      report(
        start,
        `"${match[0]}" does not say which document it cites: write docs/rules/<doc>.md ${match[0]}`,
      );
      previous = null;
      continue;
    }
    const headings = repo.headings(document);
    for (const section of [match[1], match[2]]) {
      if (section !== undefined && !headings.has(section)) {
        report(start, `${document} has no section ${section} (cited as "${match[0]}")`);
      }
    }
    previous = { document, end: start + match[0].length };
  }
  return problems;
}

/** The numbered headings of a Markdown text: `## 3. Checks` → '3', `### 3.5 Details` → '3.5'. */
export function numberedHeadings(markdown: string): Set<string> {
  const headings = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)) headings.add(match[1]!);
  return headings;
}
