// `sightline inspect IMAGE... [--model ID]... [--json] [--out DIR] [--point X,Y] [--rules R]`: per image,
// its format and size and, for each model, the model view, padded canvas, tokens and cost; optionally the views.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { maxImagesFor } from '../../catalog/index.js';
import { ApiError } from '../../errors/index.js';
import {
  createImagePipeline,
  imageCost,
  type MappedPoint,
  originalToView,
  viewToOriginal,
} from '../../imaging/index.js';
import { flag, parseArgs, stringOption, UsageError } from '../args.js';
import { type CliIo, print } from '../io.js';
import { modelsOption } from '../model-option.js';
import { ruleOption } from '../rules-option.js';
import { alignColumns } from '../text-table.js';

export const INSPECT_HELP = `Usage: sightline inspect IMAGE... [options]

Shows what each model sees of each image: format, original size, model view, padded canvas,
tokens and cost (per image and per 1,000 images).

Options:
  --model ID[,ID] models to show (repeatable; default: every catalog model)
  --json          one JSON object per line
  --out DIR       write each model view as <name>.<model>.png
  --point X,Y     map a point from the model view to the original and back, for each model
  --rules R       revision of the image rules: 2026-09 (default; env SIGHTLINE_VISION_RULES) or 2026-04
  -h, --help      this help
`;

interface ModelReport {
  view_width: number;
  view_height: number;
  canvas_width: number;
  canvas_height: number;
  tokens: number;
  cost_usd: number;
  cost_usd_per_1000: number;
  point?: {
    view: [number, number];
    original: [number, number];
    in_padding: boolean;
    back_to_view: [number, number];
  };
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const pair = (point: MappedPoint): [number, number] => [round(point.x), round(point.y)];

function parsePoint(text: string | undefined): { x: number; y: number } | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!match) throw new UsageError(`--point takes X,Y (got "${text}")`);
  return { x: Number(match[1]), y: Number(match[2]) };
}

export async function inspectCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    model: { value: true, repeat: true },
    json: {},
    out: { value: true },
    point: { value: true },
    rules: { value: true },
    help: { short: 'h' },
  });
  if (flag(args, 'help')) {
    print(io.stdout, INSPECT_HELP);
    return 0;
  }
  if (args.positionals.length === 0) throw new UsageError('inspect needs at least one IMAGE');
  const rules = ruleOption(args, io);
  const models = modelsOption(args, 'model');
  const point = parsePoint(stringOption(args, 'point'));
  const outDirectory = stringOption(args, 'out');
  if (outDirectory) await mkdir(resolve(io.cwd, outDirectory), { recursive: true });
  const pipeline = createImagePipeline();
  const json = flag(args, 'json');
  let failures = 0;

  for (const file of args.positionals) {
    try {
      const bytes = await readFile(resolve(io.cwd, file)).catch((error: NodeJS.ErrnoException) => {
        throw new Error(error.code === 'ENOENT' ? 'no such file' : error.message);
      });
      const report: Record<string, ModelReport> = {};
      let summary = '';
      for (const model of models) {
        const target = { id: model.id, profile: model.profile, maxImages: maxImagesFor(model), rules };
        const [image] = pipeline.validate([{ path: file, source: { kind: 'file', bytes } }], target);
        const { plan, probe } = image!;
        summary = `${probe.format} ${plan.width}x${plan.height}${probe.animated ? ' (animated: first frame used)' : ''}`;
        const view = await pipeline.render(image!);
        if (outDirectory) {
          const name = `${basename(file, extname(file))}.${model.id}.${view.format}`;
          await writeFile(join(resolve(io.cwd, outDirectory), name), view.data);
        }
        const cost = imageCost(plan.width, plan.height, model, rules);
        report[model.id] = {
          view_width: plan.viewWidth,
          view_height: plan.viewHeight,
          canvas_width: plan.canvasWidth,
          canvas_height: plan.canvasHeight,
          tokens: plan.tokens,
          cost_usd: cost.usd,
          cost_usd_per_1000: cost.usdPerThousand,
        };
        if (point) {
          const original = viewToOriginal(point, plan);
          report[model.id]!.point = {
            view: [point.x, point.y],
            original: pair(original),
            in_padding: original.inPadding,
            back_to_view: pair(originalToView(original, plan)),
          };
        }
      }
      if (json) {
        const [format, size] = summary.split(' ');
        const [width, height] = (size ?? '').split('x').map(Number);
        print(io.stdout, JSON.stringify({ file, format, width, height, rules, models: report }));
      } else {
        print(io.stdout, formatTable(file, `${summary}, image rules ${rules}`, report));
      }
    } catch (error) {
      failures += 1;
      print(io.stderr, `sightline inspect: ${file}: ${describeFailure(error, file)}`);
    }
  }
  return failures > 0 ? 1 : 0;
}

function describeFailure(error: unknown, file: string): string {
  if (error instanceof ApiError) {
    const message = error.message
      .replace(`${file}.image.source.file: `, '')
      .replace(`${file}.image.source.file.data: `, '');
    return message === 'Could not process image'
      ? 'Could not process image (not a valid JPEG, PNG, GIF or WebP image)'
      : message;
  }
  return error instanceof Error ? error.message : String(error);
}

function formatTable(file: string, summary: string, report: Record<string, ModelReport>): string {
  const rows = [
    [
      'model',
      'view',
      'canvas',
      'tokens',
      '$/image',
      '$/1k images',
      ...(Object.values(report)[0]?.point ? ['point → original'] : []),
    ],
  ];
  for (const [id, entry] of Object.entries(report)) {
    rows.push([
      id,
      `${entry.view_width}x${entry.view_height}`,
      `${entry.canvas_width}x${entry.canvas_height}`,
      String(entry.tokens),
      `$${entry.cost_usd.toFixed(5)}`,
      `$${entry.cost_usd_per_1000.toFixed(2)}`,
      ...(entry.point
        ? [
            `(${entry.point.view.join(', ')}) → (${entry.point.original.join(', ')})${entry.point.in_padding ? ' in padding, clamped' : ''}`,
          ]
        : []),
    ]);
  }
  const lines = alignColumns(rows).map((line) => `  ${line}`);
  return [`${file}: ${summary}`, ...lines].join('\n');
}
