// The Workbench words each problem of the image checks for the user (web/problems.ts) by reading the API's
// message, which src/imaging/checks.ts writes: every message the page can meet is recognised (a specific
// summary and fix, not the bare message), and a message with a JSON path is traced to its image.
import { describe, expect, it } from 'vitest';
import {
  byteSizeProblem,
  COULD_NOT_PROCESS_IMAGE,
  dimensionsProblem,
  imageCountProblem,
  manyImagesProblem,
  mediaTypeProblem,
} from '../../src/imaging/checks.js';
import type { ImageProbe } from '../../src/imaging/probe.js';
import { describeProblem, placementOfError } from '../../web/problems.js';
import type { PageImage } from '../../web/types.js';
import { pngProbe } from '../support/images.js';

function pageImage(probe: ImageProbe | null, size: number, mediaType = 'image/png'): PageImage {
  const blob = new Blob([]);
  return {
    id: 'image-7',
    name: 'shot.png',
    blob,
    shown: blob,
    size,
    base64: 'x'.repeat(Math.ceil(size / 3) * 4),
    mediaType,
    probe,
    url: '',
    fileIds: new Map(),
    uploads: new Map(),
    uploadError: null,
    bitmap: null,
  };
}

const path = 'messages.2.content.3';
const wide = pngProbe(9000, 300);
const big = pngProbe(2400, 1800);
const MB = 1024 * 1024;

describe('describeProblem', () => {
  const cases: [string, PageImage, string, boolean, RegExp, RegExp][] = [
    [
      'base64 over the byte limit, the file itself fits',
      pageImage(big, 4.5 * MB),
      byteSizeProblem({ path, kind: 'base64', size: 6 * MB }, 5 * MB)!,
      false,
      /is 4\.50 MB, which is 6\.00 MB as base64/,
      /Files API/,
    ],
    [
      'a file over the byte limit',
      pageImage(big, 6 * MB),
      byteSizeProblem({ path, kind: 'file', size: 6 * MB }, 5 * MB)!,
      true,
      /is 6\.00 MB: over the 5 MB limit/,
      /smaller than 5\.00 MB/,
    ],
    [
      'a side over 8000 px',
      pageImage(wide, 1000),
      dimensionsProblem({ path, kind: 'base64', probe: wide })!,
      false,
      /is 9,000 × 300 px: the API refuses images with a side over 8,000 px/,
      /at most 8,000 px/,
    ],
    [
      'a side over 2000 px among more than 20 images',
      pageImage(big, 1000),
      manyImagesProblem({ path, kind: 'base64', probe: big }, 21)!,
      false,
      /is 2,400 × 1,800 px: with this many images in one request, each side may be at most 2,000 px/,
      /send fewer images/,
    ],
    [
      'a media type the API does not take',
      pageImage(null, 1000, 'image/bmp'),
      mediaTypeProblem({ path, kind: 'base64', mediaType: 'image/bmp' })!,
      false,
      /is image\/bmp, which the API does not accept/,
      /Convert it to one of 'image\/jpeg'/,
    ],
    [
      'a media type the API does not take, in a message without a position',
      pageImage(null, 1000, 'image/bmp'),
      mediaTypeProblem({ path: '', kind: 'base64', mediaType: 'image/bmp' })!,
      false,
      /is image\/bmp, which the API does not accept/,
      /Convert it to one of 'image\/jpeg'/,
    ],
    [
      'bytes that are no image',
      pageImage(null, 1000),
      COULD_NOT_PROCESS_IMAGE,
      false,
      /could not be read as an image/,
      /damaged/,
    ],
    [
      'one image too many',
      pageImage(big, 1000),
      imageCountProblem(101, 100)!,
      false,
      /one image too many: this model takes at most 100 images per request, and this one has 101/,
      /Remove images/,
    ],
  ];

  it.each(cases)('%s', (_label, image, message, useFiles, summary, fix) => {
    const said = describeProblem({ image, number: 3 }, message, { useFiles });
    expect(said.summary).toMatch(/^Image 3 \(shot\.png\)/);
    expect(said.summary).toMatch(summary);
    expect(said.fix).toMatch(fix);
    // the API's own words, without the JSON path (which counts blocks the page inserted)
    expect(said.api).not.toMatch(/^messages\./);
    expect(message).toContain(said.api);
  });
});

describe('placementOfError', () => {
  const placements = [
    { image: pageImage(big, 10), number: 1, path: 'messages.0.content.1' },
    { image: pageImage(big, 10), number: 2, path: path },
  ];

  it('traces a message with a JSON path to the image block it names', () => {
    const message = dimensionsProblem({ path, kind: 'base64', probe: wide })!;
    expect(message.startsWith(`${path}.image.source.base64.data: `)).toBe(true);
    expect(placementOfError(message, placements)).toBe(placements[1]);
  });

  it('traces nothing for a message without a path or with a path of no image', () => {
    expect(placementOfError(imageCountProblem(101, 100)!, placements)).toBeNull();
    expect(placementOfError('messages.0.content.0: text too long', placements)).toBeNull();
  });
});
