// Tests flattening over white, mean luma and the dark/medium/bright words.
import { describe, expect, it } from 'vitest';
import { brightnessWord, flattenOverWhite, meanLuma } from './measure-brightness.js';

describe('flattenOverWhite', () => {
  it('composites over white and counts mostly transparent pixels', () => {
    const { rgb, transparentPixels } = flattenOverWhite(
      Uint8Array.from([255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 128]),
    );
    expect([...rgb]).toEqual([255, 0, 0, 255, 255, 255, 127, 127, 127]);
    expect(transparentPixels).toBe(1);
  });
});

describe('meanLuma and brightnessWord', () => {
  it('uses Rec. 601 weights', () => {
    expect(meanLuma(Uint8Array.from([255, 0, 0]))).toBeCloseTo(76.245);
    expect(meanLuma(Uint8Array.from([0, 0, 0, 255, 255, 255]))).toBeCloseTo(127.5);
    expect(meanLuma(new Uint8Array(0))).toBe(0);
  });

  it('splits 0–255 in thirds', () => {
    expect(brightnessWord(0)).toBe('dark');
    expect(brightnessWord(84.9)).toBe('dark');
    expect(brightnessWord(85)).toBe('medium');
    expect(brightnessWord(170)).toBe('medium');
    expect(brightnessWord(170.1)).toBe('bright');
  });
});
