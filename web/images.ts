// An image as the page holds it (bytes, base64, header probe), its model-view plan and cost for a model,
// and the API's checks run before sending, with the API's own messages. The plan, the checks, the header
// probe and the cost are the server's own modules (src/imaging), not copies; vision-rules.js names the
// revision of the image rules the server follows, so the page counts as the server does.
import { imageCountProblem, imageProblem, manyImagesProblem } from '../src/imaging/checks.js';
import { usdForInputTokens } from '../src/imaging/cost.js';
import { type ImagePlan, planImage } from '../src/imaging/plan.js';
import { probeImage, withoutExifOrientation } from '../src/imaging/probe.js';
import { maxImageBytesFor } from '../src/imaging/rules.js';
import { MEDIA_TYPES } from '../src/imaging/sniff.js';
import type { ModelInfo, PageImage, Placement } from './types.js';
import { VISION_RULES } from './vision-rules.js';

/** Uint8Array.prototype.toBase64 where the browser has it (Chromium 136+, Firefox 133+). */
type WithToBase64 = Uint8Array & { toBase64?: () => string };

function toBase64(bytes: WithToBase64): string {
  if (typeof bytes.toBase64 === 'function') return bytes.toBase64();
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

let nextId = 1;

/** Reads a File/Blob: its media type is the one its bytes show (else the declared one). */
export async function readImage(file: File, fallbackName: string): Promise<PageImage> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const probe = probeImage(bytes);
  const id = nextId++;
  // Browsers apply EXIF orientation when they draw; the model sees the pixels as stored. The page draws
  // a copy whose orientation says "as stored"; the request sends the original bytes.
  const shown = new Blob([withoutExifOrientation(bytes) as Uint8Array<ArrayBuffer>], {
    type: file.type || 'image/jpeg',
  });
  return {
    id: `image-${id}`,
    name: file.name || fallbackName,
    blob: file,
    shown,
    size: bytes.length,
    base64: toBase64(bytes),
    mediaType: probe ? MEDIA_TYPES[probe.format] : file.type || 'application/octet-stream',
    probe,
    url: URL.createObjectURL(shown),
    fileIds: new Map(),
    uploads: new Map(),
    uploadError: null,
    bitmap: null,
  };
}

const profileOf = (model: ModelInfo) => ({
  maxLongEdge: model.sightline.profile.max_long_edge,
  maxTokens: model.sightline.profile.max_tokens,
});

/** The model view of an image for a model (null when its header could not be read). */
export const planFor = (image: PageImage, model: ModelInfo | undefined): ImagePlan | null =>
  image.probe && model
    ? planImage(image.probe.width, image.probe.height, profileOf(model), VISION_RULES)
    : null;

/** USD for input tokens at the model's input price (the server's own formula). */
export const costOf = (tokens: number, model: ModelInfo): number =>
  usdForInputTokens(tokens, { inputPricePerMillion: model.sightline.input_price_per_million });

/**
 * What the API would answer for each image, as `Map<image id, message>`, in the server's order: per image
 * media type, bytes, decodable, 8000 px; then per request the many-image 2000 px rule and the image count.
 * `placements` are in request order; `useFiles` picks the `file` source path.
 */
export function findProblems(
  placements: readonly Placement[],
  model: ModelInfo | undefined,
  useFiles: boolean,
): Map<string, string> {
  const problems = new Map<string, string>();
  const limits = { maxImageBytes: maxImageBytesFor(VISION_RULES) };
  for (const { image, path } of placements) {
    const facts = {
      path,
      kind: useFiles ? ('file' as const) : ('base64' as const),
      mediaType: useFiles ? undefined : image.mediaType,
      size: useFiles ? image.size : image.base64.length,
      probe: image.probe,
    };
    const message = imageProblem(facts, limits) ?? manyImagesProblem(facts, placements.length);
    if (message) problems.set(image.id, message);
  }
  const limit = model?.sightline.max_images;
  const tooMany = limit === undefined ? null : imageCountProblem(placements.length, limit);
  if (tooMany) {
    for (const { image } of placements.slice(limit))
      if (!problems.has(image.id)) problems.set(image.id, tooMany);
  }
  return problems;
}

/** The decoded image for drawing (null when the browser cannot decode it), decoded once. */
export function bitmapOf(image: PageImage): Promise<ImageBitmap | null> {
  image.bitmap ??= createImageBitmap(image.shown).catch(() => null);
  return image.bitmap;
}
