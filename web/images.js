// An image as the page holds it (bytes, base64, header probe), its model-view plan and cost for a model,
// and the API's checks (vision.md §2) run before sending, with the API's own messages. The plan and the
// header probe are the server's compiled modules (plan.js, probe.js), not copies.
import { planImage } from './plan.js';
import { probeImage, withoutExifOrientation } from './probe.js';
import { MEDIA_TYPES } from './sniff.js';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_IMAGE_SIDE = 8000;
export const MANY_IMAGES_THRESHOLD = 20;
export const MANY_IMAGES_MAX_SIDE = 2000;
export const ACCEPTED_TYPES = Object.values(MEDIA_TYPES);
const MEDIA_TYPE_LIST = "'image/jpeg', 'image/png', 'image/gif' or 'image/webp'";

function toBase64(bytes) {
  if (typeof bytes.toBase64 === 'function') return bytes.toBase64();
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

let nextId = 1;

/** Reads a File/Blob: its media type is the one its bytes show (else the declared one). */
export async function readImage(file, fallbackName) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const probe = probeImage(bytes);
  const id = nextId++;
  // Browsers apply EXIF orientation when they draw; the model sees the pixels as stored. The page draws
  // a copy whose orientation says "as stored"; the request sends the original bytes.
  const shown = new Blob([withoutExifOrientation(bytes)], { type: file.type || 'image/jpeg' });
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
    /** API key → file id (Files API uploads), and key → pending upload. */
    fileIds: new Map(),
    uploads: new Map(),
    uploadError: null,
    bitmap: null,
  };
}

export const profileOf = (model) => ({
  maxLongEdge: model.sightline.profile.max_long_edge,
  maxTokens: model.sightline.profile.max_tokens,
});

/** The model view of an image for a model (null when its header could not be read). */
export const planFor = (image, model) =>
  image.probe && model ? planImage(image.probe.width, image.probe.height, profileOf(model)) : null;

export const costOf = (tokens, model) => (tokens * model.sightline.input_price_per_million) / 1_000_000;

/**
 * What the API would answer for each image, as `Map<image id, message>`, in the server's order: per image
 * media type, 5 MB, decodable, 8000 px; then per request the many-image 2000 px rule and the image count.
 * `placements` are `{ image, number, path }` in request order; `useFiles` picks the `file` source path.
 */
export function findProblems(placements, model, useFiles) {
  const problems = new Map();
  for (const { image, path } of placements) {
    const prefix = `${path}.image.source.${useFiles ? 'file' : 'base64'}`;
    const dataPath = useFiles ? prefix : `${prefix}.data`;
    const size = useFiles ? image.size : image.base64.length;
    let message = null;
    if (!useFiles && !ACCEPTED_TYPES.includes(image.mediaType)) {
      message = `${prefix}.media_type: Input should be ${MEDIA_TYPE_LIST}`;
    } else if (size > MAX_IMAGE_BYTES) {
      message = `${prefix}: image exceeds 5 MB maximum: ${size} bytes > ${MAX_IMAGE_BYTES} bytes`;
    } else if (!image.probe) {
      message = 'Could not process image';
    } else if (image.probe.width > MAX_IMAGE_SIDE || image.probe.height > MAX_IMAGE_SIDE) {
      message = `${dataPath}: At least one of the image dimensions exceed max allowed size: ${MAX_IMAGE_SIDE} pixels`;
    } else if (
      placements.length > MANY_IMAGES_THRESHOLD &&
      (image.probe.width > MANY_IMAGES_MAX_SIDE || image.probe.height > MANY_IMAGES_MAX_SIDE)
    ) {
      message = `${dataPath}: At least one of the image dimensions exceed max allowed size for many-image requests: ${MANY_IMAGES_MAX_SIDE} pixels`;
    }
    if (message) problems.set(image.id, message);
  }
  const limit = model?.sightline.max_images;
  if (limit !== undefined && placements.length > limit) {
    const message = `Too much media: 0 document pages + ${placements.length} images > ${limit}`;
    for (const { image } of placements.slice(limit))
      if (!problems.has(image.id)) problems.set(image.id, message);
  }
  return problems;
}

/** The decoded image for drawing (null when the browser cannot decode it), decoded once. */
export function bitmapOf(image) {
  image.bitmap ??= createImageBitmap(image.shown).catch(() => null);
  return image.bitmap;
}
