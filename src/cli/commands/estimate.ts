// `sightline estimate DIR|GLOB|FILE... [--model a,b] [--rules R[,R]] [--list|--csv|--json]`: tokens and cost of a
// whole image collection per model from header probes only, the largest images and every image the API
// would refuse; with two revisions of the image rules, both side by side (what the change costs).
import type { CatalogModel } from '../../catalog/index.js';
import { DEFAULT_VISION_RULES, type VisionRules } from '../../imaging/index.js';
import { flag, parseArgs, UsageError } from '../args.js';
import {
  type EstimateSummary,
  estimateImagesByRules,
  type ImageEstimate,
  MANY_IMAGES_RULE,
  summarizeEstimates,
} from '../estimate-images.js';
import { displayPath, findFiles } from '../find-files.js';
import { type CliIo, print } from '../io.js';
import { modelsOption } from '../model-option.js';
import { createProgressBar } from '../progress-bar.js';
import { rulesOptions } from '../rules-option.js';
import { alignColumns } from '../text-table.js';

export const ESTIMATE_HELP = `Usage: sightline estimate DIR|GLOB|FILE... [options]

Estimates the image tokens and input cost of a collection for each model, reading only image headers
(no decoding), and lists the largest images and those the API would reject (over the per-image byte
limit: 10 MB under the 2026-09 rules, 5 MB under 2026-04; not JPEG/PNG/GIF/WebP; a side over 8000 px;
a side over 2000 px is noted: rejected in requests of more than 20 images). Directories are walked
recursively (hidden entries skipped); globs take *, ?, **, {a,b} and [abc] (quote them so the shell
leaves them alone).

Options:
  --model ID[,ID] models to price (repeatable; default: every catalog model)
  --rules R[,R]   revision(s) of the image rules: 2026-09 (default; env SIGHTLINE_VISION_RULES) or
                  2026-04; name both (--rules 2026-04,2026-09) to see them side by side
  --json          one JSON object
  --csv           one CSV row per file
  --list          every file in the lists (rejected, over 2000 px, over the byte limit); by default
                  a summary: the first few of each list and a count of the rest
  -h, --help      this help
`;

export interface RevisionEstimates {
  rules: VisionRules;
  estimates: ImageEstimate[];
  summary: EstimateSummary;
}

export interface CollectedEstimates extends RevisionEstimates {
  /** one entry per revision asked for, in order; the fields above are the first one's */
  revisions: RevisionEstimates[];
  unmatched: string[];
}

/** Finds the files of `inputs`, probes them and sums up: the whole command without its output. */
export async function collectEstimates(
  inputs: readonly string[],
  options: {
    cwd: string;
    models: readonly CatalogModel[];
    rules?: readonly VisionRules[];
    onProgress?: (done: number, total: number) => void;
  },
): Promise<CollectedEstimates> {
  const { files, unmatched } = await findFiles(inputs, options.cwd);
  const byRules = await estimateImagesByRules(files, {
    models: options.models,
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const asked = options.rules?.length ? options.rules : [DEFAULT_VISION_RULES];
  const revisions = byRules.map((estimates, index) => {
    for (const estimate of estimates) estimate.path = displayPath(estimate.path, options.cwd);
    const rules = asked[index]!;
    return { rules, estimates, summary: summarizeEstimates(estimates, options.models, rules) };
  });
  return { ...revisions[0]!, revisions, unmatched };
}

const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${bytes} B`;

const size = (estimate: ImageEstimate): string =>
  estimate.width === null ? '?' : `${estimate.width}x${estimate.height}`;

const usd = (value: number): string => `$${value < 1 ? value.toFixed(4) : value.toFixed(2)}`;

function table(rows: string[][]): string[] {
  return alignColumns(rows, (column) => column !== 0).map((line) => `  ${line}`);
}

/** How much of each list the default summary shows; `--list` shows every file. */
const SUMMARY_LIST_LINES = 3;
const SUMMARY_LARGEST = 3;
/** Past this many models, models with the same images, tokens and cost share one summary row. */
const SUMMARY_MODEL_ROWS = 6;

/** Rows of the model table; in a summary, models that total the same share a row. */
function modelRows(models: EstimateSummary['models'], list: boolean): string[][] {
  const groups = new Map<string, { names: string[]; total: EstimateSummary['models'][number] }>();
  for (const total of models) {
    const key =
      list || models.length <= SUMMARY_MODEL_ROWS
        ? total.model
        : `${total.images}/${total.tokens}/${total.cost_usd}`;
    const group = groups.get(key);
    if (group) group.names.push(total.model);
    else groups.set(key, { names: [total.model], total });
  }
  return [...groups.values()].map(({ names, total }) => [
    names.length <= 3 ? names.join(', ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`,
    String(total.images),
    String(total.tokens),
    usd(total.cost_usd),
  ]);
}

/** A titled list of files: all of it with `--list`, else the first few and a count of the rest. */
function fileSection(title: string, lines: string[], list: boolean): string[] {
  if (lines.length === 0) return [];
  const shown = list ? lines : lines.slice(0, SUMMARY_LIST_LINES);
  const rest = lines.length - shown.length;
  return [
    '',
    title,
    ...shown.map((line) => `  ${line}`),
    ...(rest > 0 ? [`  … and ${rest} more (--list shows every file)`] : []),
  ];
}

export function formatEstimateTable(summary: EstimateSummary, options: { list?: boolean } = {}): string {
  const list = options.list === true;
  const lines = [
    `Images: ${summary.files} files, ${summary.accepted} accepted, ${summary.rejected} rejected (image rules ${summary.rules})`,
    '',
    ...table([['model', 'images', 'tokens', 'cost'], ...modelRows(summary.models, list)]),
  ];
  const largest = list ? summary.largest : summary.largest.slice(0, SUMMARY_LARGEST);
  if (largest.length > 0) {
    lines.push('', `Largest ${largest.length} images:`);
    lines.push(
      ...table(
        largest.map((estimate) => [
          estimate.path,
          size(estimate),
          formatBytes(estimate.bytes),
          estimate.format ?? '',
        ]),
      ),
    );
  }
  lines.push(
    ...fileSection(
      `Rejected (${summary.rejectedImages.length}):`,
      summary.rejectedImages.map((estimate) => `${estimate.path}: ${estimate.rejected}`),
      list,
    ),
    ...fileSection(
      `A side over 2000 px (${summary.refusedInManyImageRequests.length}): ${MANY_IMAGES_RULE.replace(/:.*$/, '')}:`,
      summary.refusedInManyImageRequests.map((estimate) => `${estimate.path} (${size(estimate)})`),
      list,
    ),
    ...fileSection(
      `Over the byte limit once base64-encoded (${summary.tooLargeAsBase64.length}): send these as file or URL sources:`,
      summary.tooLargeAsBase64.map((estimate) => `${estimate.path} (${formatBytes(estimate.bytes)})`),
      list,
    ),
  );
  return lines.join('\n');
}

export function formatEstimateJson(summary: EstimateSummary): string {
  return JSON.stringify(estimateJson(summary));
}

function estimateJson(summary: EstimateSummary) {
  const brief = (estimate: ImageEstimate) => ({
    path: estimate.path,
    format: estimate.format,
    width: estimate.width,
    height: estimate.height,
    bytes: estimate.bytes,
  });
  return {
    rules: summary.rules,
    files: summary.files,
    accepted: summary.accepted,
    rejected: summary.rejected,
    models: summary.models,
    largest: summary.largest.map(brief),
    rejected_images: summary.rejectedImages.map((estimate) => ({
      ...brief(estimate),
      reason: estimate.rejected,
    })),
    many_image_requests: {
      rule: MANY_IMAGES_RULE,
      images: summary.refusedInManyImageRequests.map(brief),
    },
    too_large_as_base64: summary.tooLargeAsBase64.map(brief),
  };
}

/** Per model: tokens and cost under each revision, and the change from the first to the last. */
export function compareRevisions(revisions: readonly RevisionEstimates[]) {
  const first = revisions[0]!.summary;
  const last = revisions.at(-1)!.summary;
  return first.models.map((total, index) => {
    const newest = last.models[index]!;
    return {
      model: total.model,
      revisions: Object.fromEntries(
        revisions.map(({ rules, summary }) => {
          const entry = summary.models[index]!;
          return [rules, { images: entry.images, tokens: entry.tokens, cost_usd: entry.cost_usd }];
        }),
      ),
      tokens_change: newest.tokens - total.tokens,
      cost_change_usd: Number((newest.cost_usd - total.cost_usd).toFixed(6)),
      /** null when the first revision counted no tokens */
      change_percent:
        total.tokens === 0
          ? null
          : Number((((newest.tokens - total.tokens) / total.tokens) * 100).toFixed(2)),
    };
  });
}

const percent = (value: number | null): string =>
  value === null ? '' : `${value > 0 ? '+' : ''}${value.toFixed(1)}%`;

/** Two (or more) revisions side by side: one row per model, tokens and cost per revision, the change. */
export function formatComparisonTable(
  revisions: readonly RevisionEstimates[],
  options: { list?: boolean } = {},
): string {
  const names = revisions.map((revision) => revision.rules);
  const rows = [
    ['model', ...names.flatMap((rules) => [`tokens ${rules}`, `cost ${rules}`]), 'change'],
    ...compareRevisions(revisions).map((row) => [
      row.model,
      ...names.flatMap((rules) => [
        String(row.revisions[rules]!.tokens),
        usd(row.revisions[rules]!.cost_usd),
      ]),
      percent(row.change_percent),
    ]),
  ];
  const counts = revisions
    .map(({ rules, summary }) => `${rules}: ${summary.accepted} accepted, ${summary.rejected} rejected`)
    .join('; ');
  const lines = [
    `Images: ${revisions[0]!.summary.files} files (${counts})`,
    `Image rules side by side: ${names.join(' → ')}`,
    '',
    ...table(rows),
  ];
  // the rest of the report under each revision, where it differs from the newest
  const newest = revisions.at(-1)!;
  const detail = formatEstimateTable(newest.summary, options).split('\n').slice(2);
  while (detail[0]?.startsWith('  ')) detail.shift();
  lines.push(...detail);
  for (const revision of revisions.slice(0, -1)) {
    const rejected = revision.summary.rejectedImages.map(
      (estimate) => `${estimate.path}: ${estimate.rejected}`,
    );
    const newestRejected = newest.summary.rejectedImages.map(
      (estimate) => `${estimate.path}: ${estimate.rejected}`,
    );
    if (rejected.join('\n') !== newestRejected.join('\n')) {
      lines.push(
        '',
        `Rejected under ${revision.rules} (${rejected.length}):`,
        ...rejected.map((line) => `  ${line}`),
      );
    }
  }
  return lines.join('\n');
}

export function formatComparisonJson(revisions: readonly RevisionEstimates[]): string {
  return JSON.stringify({
    rules: revisions.map((revision) => revision.rules),
    files: revisions[0]!.summary.files,
    side_by_side: compareRevisions(revisions),
    revisions: revisions.map((revision) => estimateJson(revision.summary)),
  });
}

const csvCell = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * One row per file. With one revision the columns are status, reason, `<model>_tokens`, `<model>_usd`;
 * with several, each of those is repeated per revision with the revision as a suffix (`status_2026-04`,
 * `<model>_tokens_2026-04`, …).
 */
export function formatEstimateCsv(
  estimates: readonly ImageEstimate[] | readonly (readonly ImageEstimate[])[],
  models: readonly CatalogModel[],
): string {
  const lists = (
    Array.isArray(estimates[0]) ? estimates : [estimates]
  ) as readonly (readonly ImageEstimate[])[];
  const suffix = (rules: VisionRules | undefined) => (lists.length > 1 && rules ? `_${rules}` : '');
  const header = ['path', 'format', 'width', 'height', 'bytes'];
  for (const list of lists) {
    const end = suffix(list[0]?.rules);
    header.push(
      `status${end}`,
      `reason${end}`,
      ...models.map((model) => `${model.id}_tokens${end}`),
      ...models.map((model) => `${model.id}_usd${end}`),
    );
  }
  const rows = (lists[0] ?? []).map((first, index) => {
    const row: Array<string | number | null> = [
      first.path,
      first.format,
      first.width,
      first.height,
      first.bytes,
    ];
    for (const list of lists) {
      const estimate = list[index]!;
      row.push(
        estimate.rejected === null ? 'accepted' : 'rejected',
        estimate.rejected ?? (estimate.refusedInManyImageRequests ? MANY_IMAGES_RULE : ''),
        ...models.map((model) => estimate.tokens[model.id] ?? null),
        ...models.map((model) => {
          const tokens = estimate.tokens[model.id];
          return tokens === undefined
            ? null
            : Number(((tokens * model.inputPricePerMillion) / 1e6).toFixed(8));
        }),
      );
    }
    return row;
  });
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n');
}

export async function estimateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    models: { value: true, repeat: true },
    model: { value: true, repeat: true },
    json: {},
    csv: {},
    list: {},
    rules: { value: true, repeat: true },
    help: { short: 'h' },
  });
  if (flag(args, 'help')) {
    print(io.stdout, ESTIMATE_HELP);
    return 0;
  }
  if (args.positionals.length === 0) throw new UsageError('estimate needs at least one DIR, GLOB or FILE');
  if (flag(args, 'json') && flag(args, 'csv')) throw new UsageError('--json and --csv cannot be combined');
  const models = modelsOption(args, 'model', 'models');
  const rules = rulesOptions(args, io);
  const progress = createProgressBar(io.stderr, 'Probing');
  const { estimates, summary, revisions, unmatched } = await collectEstimates(args.positionals, {
    cwd: io.cwd,
    models,
    rules,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.finish();
  for (const input of unmatched)
    print(io.stderr, `sightline estimate: ${input}: no such file, directory or match`);
  if (summary.files === 0 && unmatched.length > 0) return 1; // nothing to report: no empty table
  const sideBySide = revisions.length > 1;
  const list = flag(args, 'list');
  if (flag(args, 'json'))
    print(io.stdout, sideBySide ? formatComparisonJson(revisions) : formatEstimateJson(summary));
  else if (flag(args, 'csv'))
    print(
      io.stdout,
      formatEstimateCsv(sideBySide ? revisions.map((revision) => revision.estimates) : estimates, models),
    );
  else
    print(
      io.stdout,
      sideBySide ? formatComparisonTable(revisions, { list }) : formatEstimateTable(summary, { list }),
    );
  return unmatched.length > 0 ? 1 : 0;
}
