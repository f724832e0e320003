// `sightline estimate DIR|GLOB|FILE... [--models a,b] [--csv|--json]`: tokens and cost of a whole image
// collection per model from header probes only, the largest images and every image the API would refuse.
import { type CatalogModel, createCatalog, isCallable } from '../../catalog/index.js';
import { flag, listOption, parseArgs, UsageError } from '../args.js';
import {
  type EstimateSummary,
  estimateImages,
  type ImageEstimate,
  MANY_IMAGES_RULE,
  summarizeEstimates,
} from '../estimate-images.js';
import { displayPath, findFiles } from '../find-files.js';
import { type CliIo, print } from '../io.js';
import { createProgressBar } from '../progress-bar.js';

export const ESTIMATE_HELP = `Usage: sightline estimate DIR|GLOB|FILE... [options]

Estimates the image tokens and input cost of a collection for each model, reading only image headers
(no decoding), and lists the largest images and those the API would reject (over 5 MB, not JPEG/PNG/
GIF/WebP, a side over 8000 px; a side over 2000 px is noted: rejected in requests of more than 20
images). Directories are walked recursively (hidden entries skipped); globs take *, ?, **, {a,b}
and [abc] (quote them so the shell leaves them alone).

Options:
  --models A,B    models to price (repeatable; default: every catalog model)
  --json          one JSON object
  --csv           one CSV row per file
  -h, --help      this help
`;

export function resolveModels(names: readonly string[]): CatalogModel[] {
  const catalog = createCatalog();
  const ids = names
    .flatMap((name) => name.split(','))
    .map((name) => name.trim())
    .filter(Boolean);
  if (ids.length === 0) return catalog.models.filter(isCallable); // retired models: only by name
  return ids.map((id) => {
    const model = catalog.find(id);
    if (!model)
      throw new UsageError(
        `unknown model ${id}; known: ${catalog.models.map((entry) => entry.id).join(', ')}`,
      );
    return model;
  });
}

export interface CollectedEstimates {
  estimates: ImageEstimate[];
  summary: EstimateSummary;
  unmatched: string[];
}

/** Finds the files of `inputs`, probes them and sums up: the whole command without its output. */
export async function collectEstimates(
  inputs: readonly string[],
  options: {
    cwd: string;
    models: readonly CatalogModel[];
    onProgress?: (done: number, total: number) => void;
  },
): Promise<CollectedEstimates> {
  const { files, unmatched } = await findFiles(inputs, options.cwd);
  const estimates = await estimateImages(files, {
    models: options.models,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  for (const estimate of estimates) estimate.path = displayPath(estimate.path, options.cwd);
  return { estimates, summary: summarizeEstimates(estimates, options.models), unmatched };
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
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map(
    (row) =>
      `  ${row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  ')
        .trimEnd()}`,
  );
}

export function formatEstimateTable(summary: EstimateSummary): string {
  const lines = [
    `Images: ${summary.files} files, ${summary.accepted} accepted, ${summary.rejected} rejected`,
    '',
    ...table([
      ['model', 'images', 'tokens', 'cost'],
      ...summary.models.map((total) => [
        total.model,
        String(total.images),
        String(total.tokens),
        usd(total.cost_usd),
      ]),
    ]),
  ];
  if (summary.largest.length > 0) {
    lines.push('', `Largest ${summary.largest.length} images:`);
    lines.push(
      ...table(
        summary.largest.map((estimate) => [
          estimate.path,
          size(estimate),
          formatBytes(estimate.bytes),
          estimate.format ?? '',
        ]),
      ),
    );
  }
  if (summary.rejectedImages.length > 0) {
    lines.push('', `Rejected (${summary.rejectedImages.length}):`);
    for (const estimate of summary.rejectedImages) lines.push(`  ${estimate.path}: ${estimate.rejected}`);
  }
  if (summary.refusedInManyImageRequests.length > 0) {
    lines.push(
      '',
      `A side over 2000 px (${summary.refusedInManyImageRequests.length}): ${MANY_IMAGES_RULE.replace(/:.*$/, '')}:`,
    );
    for (const estimate of summary.refusedInManyImageRequests)
      lines.push(`  ${estimate.path} (${size(estimate)})`);
  }
  if (summary.tooLargeAsBase64.length > 0) {
    lines.push(
      '',
      `Over 5 MB once base64-encoded (${summary.tooLargeAsBase64.length}): send these as file or URL sources:`,
    );
    for (const estimate of summary.tooLargeAsBase64)
      lines.push(`  ${estimate.path} (${formatBytes(estimate.bytes)})`);
  }
  return lines.join('\n');
}

export function formatEstimateJson(summary: EstimateSummary): string {
  const brief = (estimate: ImageEstimate) => ({
    path: estimate.path,
    format: estimate.format,
    width: estimate.width,
    height: estimate.height,
    bytes: estimate.bytes,
  });
  return JSON.stringify({
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
  });
}

const csvCell = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function formatEstimateCsv(
  estimates: readonly ImageEstimate[],
  models: readonly CatalogModel[],
): string {
  const header = [
    'path',
    'format',
    'width',
    'height',
    'bytes',
    'status',
    'reason',
    ...models.map((model) => `${model.id}_tokens`),
    ...models.map((model) => `${model.id}_usd`),
  ];
  const rows = estimates.map((estimate) => [
    estimate.path,
    estimate.format,
    estimate.width,
    estimate.height,
    estimate.bytes,
    estimate.rejected === null ? 'accepted' : 'rejected',
    estimate.rejected ?? (estimate.refusedInManyImageRequests ? MANY_IMAGES_RULE : ''),
    ...models.map((model) => estimate.tokens[model.id] ?? null),
    ...models.map((model) => {
      const tokens = estimate.tokens[model.id];
      return tokens === undefined ? null : Number(((tokens * model.inputPricePerMillion) / 1e6).toFixed(8));
    }),
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n');
}

export async function estimateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    models: { value: true, repeat: true },
    model: { value: true, repeat: true },
    json: {},
    csv: {},
    help: { short: 'h' },
  });
  if (flag(args, 'help')) {
    print(io.stdout, ESTIMATE_HELP);
    return 0;
  }
  if (args.positionals.length === 0) throw new UsageError('estimate needs at least one DIR, GLOB or FILE');
  if (flag(args, 'json') && flag(args, 'csv')) throw new UsageError('--json and --csv cannot be combined');
  const models = resolveModels([...listOption(args, 'models'), ...listOption(args, 'model')]);
  const progress = createProgressBar(io.stderr, 'Probing');
  const { estimates, summary, unmatched } = await collectEstimates(args.positionals, {
    cwd: io.cwd,
    models,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.finish();
  for (const input of unmatched)
    print(io.stderr, `sightline estimate: ${input}: no such file, directory or match`);
  if (flag(args, 'json')) print(io.stdout, formatEstimateJson(summary));
  else if (flag(args, 'csv')) print(io.stdout, formatEstimateCsv(estimates, models));
  else print(io.stdout, formatEstimateTable(summary));
  return unmatched.length > 0 ? 1 : 0;
}
