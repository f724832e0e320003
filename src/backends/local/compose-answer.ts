// Writes the offline engine's answer (plain text) in the pieces it streams: an opening line, one line
// per image as it is measured, each image's text as its OCR finishes (as paragraphs), a comparison
// when there are several, and a closing line that says what it cannot do. Compact, so a full terminal
// screenshot fits a 1024-token answer. Pure.
import type { PreparedImage } from '../types.js';
import { compareWords, distinctWords, meanAbsoluteDifferencePercent } from './compare-images.js';
import type { ImageMeasures, TextReading } from './measure-image.js';
import { THUMBNAIL_SIZE } from './read-pixels.js';

/** One image of the request, in order; `measures` is missing when it could not be measured. */
export interface AnswerImage {
  number: number;
  prepared: PreparedImage;
  measures: ImageMeasures | undefined;
  /** Why the image was not measured. */
  problem?: string;
  /** Its text, once read (or why not). */
  text?: TextReading;
}

interface MeasuredImage {
  number: number;
  prepared: PreparedImage;
  measures: ImageMeasures;
  text: TextReading | undefined;
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

/** The opening line, sent before anything is measured. */
export function openingLine(imageCount: number): string {
  return `Measured ${imageCount} image${imageCount === 1 ? '' : 's'}.`;
}

/** One line per image: what it is, its model view and tokens, brightness and colours. */
export function measurementLine(image: AnswerImage): string {
  const { prepared, measures } = image;
  if (measures === undefined) {
    return `Image ${image.number} (${prepared.path}): not measured: ${image.problem ?? 'no prepared view'}.`;
  }
  const { original, view } = prepared;
  const scale = view.contentWidth / original.width;
  const parts = [
    `Image ${image.number} (${prepared.path}): ${formatNames[original.mediaType] ?? original.mediaType}, original ${size(original.width, original.height)}.`,
    `Model view: ${size(view.contentWidth, view.contentHeight)} on a ${size(view.width, view.height)} padded canvas ` +
      `(scale ${formatNumber(scale, 3)}), ${prepared.tokens} tokens.`,
    `Brightness: ${measures.brightness} (mean luma ${Math.round(measures.meanLuma)} of 255).`,
    `Colours: ${measures.colours.map((colour) => `${colour.hex} ${colour.name} ${formatPercent(colour.percent)}`).join(', ')}.`,
  ];
  if (measures.transparentPercent > 0) {
    parts.push(`Transparent: ${formatPercent(measures.transparentPercent)} (measured over white).`);
  }
  return parts.join(' ');
}

const droppedNote = (dropped: number): string =>
  dropped === 0 ? '' : `, ${dropped} low-confidence line${dropped === 1 ? '' : 's'} dropped`;

/**
 * An image's text: a heading, then the lines as read, a blank line between paragraphs. No boxes or
 * per-line confidences: they cost more tokens than the text on a screenshot.
 */
export function textSection(number: number, text: TextReading): string {
  const heading = `Text in Image ${number}`;
  if (text.status === 'off') return `${heading}: not read (OCR is switched off).`;
  if (text.status === 'failed') return `${heading}: could not be read (OCR failed: ${text.reason}).`;
  if (text.lines.length === 0) {
    return `${heading} (OCR): none found${text.dropped === 0 ? '' : ` (${text.dropped} low-confidence fragment${text.dropped === 1 ? '' : 's'} dropped)`}.`;
  }
  const confidences = text.lines.map((line) => Math.round(line.confidence));
  const lowest = Math.min(...confidences);
  const highest = Math.max(...confidences);
  const range = lowest === highest ? `${lowest}%` : `${lowest}–${highest}%`;
  const count = `${text.lines.length} line${text.lines.length === 1 ? '' : 's'}`;
  const body = text.lines.map((line, index) =>
    index > 0 && line.startsParagraph ? `\n${line.text}` : line.text,
  );
  return [`${heading} (OCR, ${count}, confidence ${range}${droppedNote(text.dropped)}):`, ...body].join('\n');
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
    if (image.text?.status !== 'read') return ['- Text: not compared (OCR unavailable)'];
    wordLists.push(distinctWords(image.text.lines));
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

/** The comparison of the measured images (empty when fewer than two). */
export function comparisonSection(images: readonly AnswerImage[]): string {
  const measured: MeasuredImage[] = [];
  for (const image of images) {
    if (image.measures !== undefined) {
      measured.push({
        number: image.number,
        prepared: image.prepared,
        measures: image.measures,
        text: image.text,
      });
    }
  }
  if (measured.length < 2) return '';
  return [
    measured.length === images.length ? 'Comparison' : 'Comparison (measured images only)',
    sizeComparison(measured),
    ...differenceComparison(measured),
    brightnessComparison(measured),
    ...textComparison(measured),
  ].join('\n');
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
