// Writes the offline engine's answer (plain Markdown-ish text) from what was measured: one section
// per image, a comparison when there are several, and a closing line that says what it cannot do. Pure.
import type { PreparedImage } from '../types.js';
import { compareWords, distinctWords, meanAbsoluteDifferencePercent } from './compare-images.js';
import type { ImageMeasures } from './measure-image.js';
import { THUMBNAIL_SIZE } from './read-pixels.js';

/** One image of the request, in order; `measures` is missing when it could not be measured. */
export interface AnswerImage {
  number: number;
  prepared: PreparedImage | undefined;
  measures: ImageMeasures | undefined;
  /** Why the image was not measured. */
  problem?: string;
}

interface MeasuredImage {
  number: number;
  prepared: PreparedImage;
  measures: ImageMeasures;
}

export const HONESTY_LINE =
  "This is Sightline's built-in offline engine: it measures images and reads text, but it cannot describe " +
  'scenes, recognise objects or identify people. Configure a vision model backend for that.';

const MAXIMUM_LISTED_WORDS = 20;

const formatNames: Record<string, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
};

function formatPercent(percent: number): string {
  const rounded = Math.round(percent);
  return rounded === 0 && percent > 0 ? '<1%' : `${rounded}%`;
}

function formatNumber(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}

function size(width: number, height: number): string {
  return `${width}×${height}`;
}

function listWords(words: readonly string[]): string {
  if (words.length === 0) return 'none';
  const listed = words.slice(0, MAXIMUM_LISTED_WORDS).join(', ');
  return words.length > MAXIMUM_LISTED_WORDS
    ? `${listed} (+${words.length - MAXIMUM_LISTED_WORDS} more)`
    : listed;
}

function textLines(measures: ImageMeasures): string[] {
  const { text } = measures;
  if (text.status === 'off') return ['- Text: not read (OCR is switched off).'];
  if (text.status === 'failed') return [`- Text: could not be read (OCR failed: ${text.reason}).`];
  if (text.lines.length === 0) return ['- Text (OCR): No text found.'];
  return [
    '- Text (OCR; box x0,y0,x1,y1 in model-view pixels):',
    ...text.lines.map(
      (line) =>
        `  - ${JSON.stringify(line.text)} at ${line.box.x0},${line.box.y0},${line.box.x1},${line.box.y1} ` +
        `(confidence ${Math.round(line.confidence)}%)`,
    ),
  ];
}

function imageSection(image: AnswerImage): string[] {
  const { prepared, measures } = image;
  if (prepared === undefined || measures === undefined) {
    const location = prepared === undefined ? '' : ` (${prepared.path})`;
    return [`Image ${image.number}${location}`, `- Not measured: ${image.problem ?? 'no prepared view'}.`];
  }
  const { original, view } = prepared;
  const scale = view.contentWidth / original.width;
  const lines = [
    `Image ${image.number} (${prepared.path})`,
    `- Format: ${formatNames[original.mediaType] ?? original.mediaType}, original ${size(original.width, original.height)}`,
    `- Model view: ${size(view.contentWidth, view.contentHeight)} on a ${size(view.width, view.height)} padded canvas ` +
      `(scale ${formatNumber(scale, 3)}), ${prepared.tokens} tokens`,
    `- Brightness: mean luma ${Math.round(measures.meanLuma)} of 255 (${measures.brightness})`,
    `- Dominant colours: ${measures.colours.map((colour) => `${colour.hex} ${colour.name} ${formatPercent(colour.percent)}`).join(', ')}`,
  ];
  if (measures.transparentPercent > 0) {
    lines.push(
      `- Transparency: ${formatPercent(measures.transparentPercent)} of the content (measured over white)`,
    );
  }
  return [...lines, ...textLines(measures)];
}

function sizeComparison(images: readonly MeasuredImage[]): string {
  const originals = images.map((image) =>
    size(image.prepared.original.width, image.prepared.original.height),
  );
  const views = images.map((image) =>
    size(image.prepared.view.contentWidth, image.prepared.view.contentHeight),
  );
  if (new Set(originals).size === 1 && new Set(views).size === 1) {
    return `- Size: the same (${originals[0]} original, ${views[0]} model view)`;
  }
  const each = images.map((image, index) => `Image ${image.number} ${originals[index]} → ${views[index]}`);
  return `- Size: different (original → model view: ${each.join('; ')})`;
}

function brightnessComparison(images: readonly MeasuredImage[]): string {
  const lumas = images.map((image) => Math.round(image.measures.meanLuma));
  if (new Set(lumas).size === 1) return `- Brightness: equally bright (mean luma ${lumas[0]})`;
  const [first, second] = images;
  if (images.length === 2 && first !== undefined && second !== undefined) {
    const [brighter, darker] =
      first.measures.meanLuma > second.measures.meanLuma ? [first, second] : [second, first];
    return (
      `- Brightness: Image ${brighter.number} is brighter ` +
      `(mean luma ${Math.round(brighter.measures.meanLuma)} vs ${Math.round(darker.measures.meanLuma)})`
    );
  }
  const byLuma = [...images].sort(
    (one, other) => other.measures.meanLuma - one.measures.meanLuma || one.number - other.number,
  );
  const brightest = byLuma[0];
  const darkest = byLuma[byLuma.length - 1];
  if (brightest === undefined || darkest === undefined) return '- Brightness: not compared';
  return (
    `- Brightness: brightest Image ${brightest.number} (mean luma ${Math.round(brightest.measures.meanLuma)}), ` +
    `darkest Image ${darkest.number} (mean luma ${Math.round(darkest.measures.meanLuma)})`
  );
}

function differenceComparison(images: readonly MeasuredImage[]): string[] {
  const pairs: string[] = [];
  for (let index = 1; index < images.length; index += 1) {
    const before = images[index - 1];
    const after = images[index];
    if (before === undefined || after === undefined) continue;
    const percent = meanAbsoluteDifferencePercent(before.measures.thumbnail, after.measures.thumbnail);
    pairs.push(`Image ${before.number} vs Image ${after.number}: ${formatNumber(percent, 1)}%`);
  }
  return [
    `- Pixel difference (mean absolute, both reduced to ${size(THUMBNAIL_SIZE, THUMBNAIL_SIZE)}): ${pairs.join('; ')}`,
  ];
}

function textComparison(images: readonly MeasuredImage[]): string[] {
  const wordLists: string[][] = [];
  for (const image of images) {
    if (image.measures.text.status !== 'read') return ['- Text: not compared (OCR unavailable)'];
    wordLists.push(distinctWords(image.measures.text.lines));
  }
  if (wordLists.every((words) => words.length === 0)) return ['- Text: none found in any image'];
  const { shared, unique } = compareWords(wordLists);
  const lines = [`- Text shared by all: ${listWords(shared)}`];
  images.forEach((image, index) => {
    const only = unique[index] ?? [];
    if (only.length > 0) lines.push(`- Text only in Image ${image.number}: ${listWords(only)}`);
  });
  return lines;
}

function comparisonSection(images: readonly AnswerImage[]): string[] {
  const measured: MeasuredImage[] = [];
  for (const image of images) {
    if (image.prepared !== undefined && image.measures !== undefined) {
      measured.push({ number: image.number, prepared: image.prepared, measures: image.measures });
    }
  }
  if (measured.length < 2) return [];
  return [
    measured.length === images.length ? 'Comparison' : 'Comparison (measured images only)',
    sizeComparison(measured),
    ...differenceComparison(measured),
    brightnessComparison(measured),
    ...textComparison(measured),
  ];
}

/** The answer for a request with images. */
export function composeImageAnswer(images: readonly AnswerImage[]): string {
  const sections = [
    [`Measured ${images.length} image${images.length === 1 ? '' : 's'}.`],
    ...images.map(imageSection),
    comparisonSection(images),
    [HONESTY_LINE],
  ].filter((section) => section.length > 0);
  return sections.map((section) => section.join('\n')).join('\n\n');
}

/** The answer for a request without images: what this engine is, and what it received. */
export function composeNoImageAnswer(messageCount: number, inputTokens: number): string {
  return [
    `This is Sightline's built-in offline engine. Your request has no images, so there is nothing to measure. ` +
      `It received ${messageCount} message${messageCount === 1 ? '' : 's'} and about ${inputTokens} input tokens of text.`,
    'It does not chat or answer questions: it measures images (size, brightness, colours) and reads the text in them. ' +
      'Send an image, or configure a vision model backend for conversation.',
  ].join('\n');
}
