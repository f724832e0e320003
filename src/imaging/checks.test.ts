// The pure image checks shared by the server, the CLI and the Workbench: wording, order, and that the page
// can import them (no runtime import outside the modules the Workbench serves).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HIGH_RESOLUTION_PROFILE, STANDARD_PROFILE } from '../catalog/index.js';
import {
  byteSizeProblem,
  dimensionsProblem,
  type ImageFacts,
  imageCountProblem,
  imageProblem,
  manyImagesProblem,
  mediaTypeProblem,
  oversizedProblem,
} from './checks.js';
import { maxImageBytesFor } from './rules.js';

const png = (width: number, height: number) => ({ format: 'png' as const, width, height });
const base64 = (overrides: Partial<ImageFacts> = {}): ImageFacts => ({
  path: 'messages.0.content.1',
  kind: 'base64',
  mediaType: 'image/png',
  size: 1000,
  probe: png(100, 100),
  ...overrides,
});

describe('imageProblem: the per-image checks in order', () => {
  const limits = { maxImageBytes: maxImageBytesFor('2026-09') };

  it('accepts a good image', () => expect(imageProblem(base64(), limits)).toBeNull());

  it('media type, then base64, then bytes, then the header, then 8000 px', () => {
    const everything = base64({
      mediaType: 'image/bmp',
      validBase64: false,
      size: 20_000_000,
      probe: png(9000, 10),
    });
    expect(imageProblem(everything, limits)).toBe(
      "messages.0.content.1.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
    );
    expect(imageProblem({ ...everything, mediaType: 'image/png' }, limits)).toBe(
      'messages.0.content.1.image.source.base64: invalid base64 data',
    );
    expect(imageProblem({ ...everything, mediaType: 'image/png', validBase64: true }, limits)).toBe(
      'messages.0.content.1.image.source.base64: image exceeds 10 MB maximum: 20000000 bytes > 10485760 bytes',
    );
    expect(imageProblem(base64({ probe: null }), limits)).toBe('Could not process image');
    expect(imageProblem(base64({ mediaType: 'image/gif' }), limits)).toBe(
      'messages.0.content.1.image.source.base64: The image was specified using the image/gif media type, but the image appears to be a image/png image',
    );
    expect(imageProblem(base64({ probe: png(8001, 10) }), limits)).toBe(
      'messages.0.content.1.image.source.base64.data: At least one of the image dimensions exceed max allowed size: 8000 pixels',
    );
  });

  it('url and file sources: no media type check, paths without .data, bytes counted raw', () => {
    const file = { path: 'messages.2.content.0', kind: 'file' as const, size: 10, probe: png(8001, 1) };
    expect(imageProblem(file, limits)).toBe(
      'messages.2.content.0.image.source.file: At least one of the image dimensions exceed max allowed size: 8000 pixels',
    );
    expect(byteSizeProblem({ path: 'messages.2.content.0', kind: 'url', size: 5_242_881 }, 5_242_880)).toBe(
      'messages.2.content.0.image.source.url: image exceeds 5 MB maximum: 5242881 bytes > 5242880 bytes',
    );
  });

  it('without a position (the CLI): the bare message', () => {
    const facts = { path: '', kind: 'file' as const, size: 6_000_000, probe: png(9000, 1) };
    expect(byteSizeProblem(facts, maxImageBytesFor('2026-04'))).toBe(
      'image exceeds 5 MB maximum: 6000000 bytes > 5242880 bytes',
    );
    expect(dimensionsProblem(facts)).toBe(
      'At least one of the image dimensions exceed max allowed size: 8000 pixels',
    );
    expect(mediaTypeProblem({ path: '', kind: 'base64', mediaType: 'text/plain' })).toBe(
      "media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
    );
  });
});

describe('the per-request checks', () => {
  it('more than 20 images: no side over 2000 px', () => {
    const image = { path: 'messages.0.content.3', kind: 'base64' as const, probe: png(2001, 5) };
    expect(manyImagesProblem(image, 20)).toBeNull();
    expect(manyImagesProblem(image, 21)).toBe(
      'messages.0.content.3.image.source.base64.data: At least one of the image dimensions exceed max allowed size for many-image requests: 2000 pixels',
    );
    expect(manyImagesProblem({ ...image, probe: png(2000, 2000) }, 600)).toBeNull();
  });

  it('the image count', () => {
    expect(imageCountProblem(100, 100)).toBeNull();
    expect(imageCountProblem(101, 100)).toBe('Too much media: 0 document pages + 101 images > 100');
  });

  it('oversized_image "error": the smallest view of every named model, worded as the API words it', () => {
    const image = { path: 'messages.0.content.0', kind: 'base64' as const, width: 3840, height: 2160 };
    expect(oversizedProblem(image, [HIGH_RESOLUTION_PROFILE, STANDARD_PROFILE], '2026-09')).toBe(
      'messages.0.content.0: image dimensions 3840x2160 exceed the maximum image size of a model named on this request and would be downsized to 1456x819; scale the image to at most 1456x819 or set the image\'s oversized_image setting to "downsize"',
    );
    expect(oversizedProblem({ ...image, kind: 'url' }, [HIGH_RESOLUTION_PROFILE], '2026-09')).toBe(
      'image dimensions 3840x2160 exceed the maximum image size of a model named on this request and would be downsized to 2576x1449; scale the image to at most 2576x1449 or set the image\'s oversized_image setting to "downsize"',
    );
    // fits every named model: no problem
    expect(
      oversizedProblem({ ...image, width: 1920, height: 1080 }, [HIGH_RESOLUTION_PROFILE], '2026-09'),
    ).toBeNull();
    // 1092×1092 fits the standard tier under 2026-09 (1521 patches) but not under 2026-04 (1590 tokens)
    const square = { ...image, width: 1092, height: 1092 };
    expect(oversizedProblem(square, [STANDARD_PROFILE], '2026-09')).toBeNull();
    expect(oversizedProblem(square, [STANDARD_PROFILE], '2026-04')).toContain(
      'would be downsized to 1084x1084',
    );
  });
});

describe('the shared modules are importable by the page', () => {
  // the Workbench serves these compiled modules; a runtime import of anything else would break the page
  const SERVED = new Set([
    './plan.js',
    './checks.js',
    './rules.js',
    './sniff.js',
    './probe.js',
    './coordinates.js',
  ]);
  for (const name of ['checks', 'rules', 'plan']) {
    it(`${name}.ts has runtime imports of served modules only`, () => {
      const source = readFileSync(new URL(`./${name}.ts`, import.meta.url), 'utf8');
      const runtimeImports = [...source.matchAll(/^import (?!type )[^;]*? from '([^']+)';/gms)].map(
        (match) => match[1]!,
      );
      for (const target of runtimeImports)
        expect(SERVED.has(target), `${name}.ts imports ${target}`).toBe(true);
    });
  }
});
