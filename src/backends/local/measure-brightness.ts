// Pure pixel arithmetic on RGBA buffers: flattening over white, mean luma and its plain-word label.

/** Composites RGBA pixels over white and returns RGB; also counts mostly transparent pixels (alpha < 128). */
export function flattenOverWhite(rgba: Uint8Array): { rgb: Uint8Array; transparentPixels: number } {
  const pixelCount = Math.floor(rgba.length / 4);
  const rgb = new Uint8Array(pixelCount * 3);
  let transparentPixels = 0;
  for (let pixel = 0; pixel < pixelCount; pixel += 1) {
    const alpha = rgba[pixel * 4 + 3] ?? 255;
    if (alpha < 128) transparentPixels += 1;
    for (let channel = 0; channel < 3; channel += 1) {
      const value = rgba[pixel * 4 + channel] ?? 0;
      rgb[pixel * 3 + channel] = Math.round((value * alpha + 255 * (255 - alpha)) / 255);
    }
  }
  return { rgb, transparentPixels };
}

/** Mean Rec. 601 luma (0.299 R + 0.587 G + 0.114 B) of RGB pixels, 0–255; 0 for no pixels. */
export function meanLuma(rgb: Uint8Array): number {
  const pixelCount = Math.floor(rgb.length / 3);
  if (pixelCount === 0) return 0;
  let red = 0;
  let green = 0;
  let blue = 0;
  for (let pixel = 0; pixel < pixelCount; pixel += 1) {
    red += rgb[pixel * 3] ?? 0;
    green += rgb[pixel * 3 + 1] ?? 0;
    blue += rgb[pixel * 3 + 2] ?? 0;
  }
  return (0.299 * red + 0.587 * green + 0.114 * blue) / pixelCount;
}

export type BrightnessWord = 'dark' | 'medium' | 'bright';

/** dark below 85, bright above 170, medium between (thirds of 0–255). */
export function brightnessWord(luma: number): BrightnessWord {
  if (luma < 85) return 'dark';
  if (luma > 170) return 'bright';
  return 'medium';
}
