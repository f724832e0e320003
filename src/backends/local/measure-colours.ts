// Finds the dominant colours of RGB pixels by deterministic quantisation: 4 levels per channel
// (64 buckets), each reported as the mean colour of its pixels with its share of the image.
import { nameColour, toHex } from './name-colour.js';

export interface DominantColour {
  hex: string;
  name: string;
  /** Share of the pixels, 0–100. */
  percent: number;
}

interface Bucket {
  index: number;
  count: number;
  red: number;
  green: number;
  blue: number;
}

/** The `limit` most frequent colour buckets, largest first (ties broken by bucket index). */
export function dominantColours(rgb: Uint8Array, limit = 3): DominantColour[] {
  const pixelCount = Math.floor(rgb.length / 3);
  if (pixelCount === 0) return [];
  const buckets: Bucket[] = Array.from({ length: 64 }, (_, index) => ({
    index,
    count: 0,
    red: 0,
    green: 0,
    blue: 0,
  }));
  for (let pixel = 0; pixel < pixelCount; pixel += 1) {
    const red = rgb[pixel * 3] ?? 0;
    const green = rgb[pixel * 3 + 1] ?? 0;
    const blue = rgb[pixel * 3 + 2] ?? 0;
    const bucket = buckets[((red >> 6) << 4) | ((green >> 6) << 2) | (blue >> 6)];
    if (bucket === undefined) continue;
    bucket.count += 1;
    bucket.red += red;
    bucket.green += green;
    bucket.blue += blue;
  }
  return buckets
    .filter((bucket) => bucket.count > 0)
    .sort((first, second) => second.count - first.count || first.index - second.index)
    .slice(0, limit)
    .map((bucket) => {
      const red = Math.round(bucket.red / bucket.count);
      const green = Math.round(bucket.green / bucket.count);
      const blue = Math.round(bucket.blue / bucket.count);
      return {
        hex: toHex(red, green, blue),
        name: nameColour(red, green, blue),
        percent: (bucket.count / pixelCount) * 100,
      };
    });
}
