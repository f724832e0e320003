// Tests the quantised dominant colours and the plain colour names.
import { describe, expect, it } from 'vitest';
import { dominantColours } from './measure-colours.js';
import { nameColour, toHex } from './name-colour.js';

function pixels(...colours: Array<[number, number, number, number]>): Uint8Array {
  const values: number[] = [];
  for (const [red, green, blue, count] of colours) {
    for (let index = 0; index < count; index += 1) values.push(red, green, blue);
  }
  return Uint8Array.from(values);
}

describe('dominantColours', () => {
  it('reports a solid colour as 100%', () => {
    expect(dominantColours(pixels([255, 0, 0, 50]))).toEqual([{ hex: '#ff0000', name: 'red', percent: 100 }]);
  });

  it('returns the top three by share, each the mean colour of its bucket', () => {
    const colours = dominantColours(
      pixels([250, 250, 250, 40], [254, 254, 254, 20], [0, 0, 200, 25], [0, 128, 0, 10], [200, 200, 0, 5]),
    );
    expect(colours.map((colour) => [colour.hex, colour.name, colour.percent])).toEqual([
      ['#fbfbfb', 'white', 60],
      ['#0000c8', 'blue', 25],
      ['#008000', 'dark green', 10],
    ]);
  });

  it('breaks ties deterministically and handles no pixels', () => {
    const first = dominantColours(pixels([0, 0, 0, 5], [255, 255, 255, 5]));
    const second = dominantColours(pixels([255, 255, 255, 5], [0, 0, 0, 5]));
    expect(first).toEqual(second);
    expect(first.map((colour) => colour.name)).toEqual(['black', 'white']);
    expect(dominantColours(new Uint8Array(0))).toEqual([]);
  });
});

describe('nameColour', () => {
  it.each([
    [[255, 0, 0], 'red'],
    [[128, 0, 0], 'dark red'],
    [[255, 128, 0], 'orange'],
    [[255, 255, 0], 'yellow'],
    [[0, 200, 0], 'green'],
    [[0, 255, 255], 'cyan'],
    [[0, 0, 255], 'blue'],
    [[0, 0, 96], 'dark blue'],
    [[128, 0, 128], 'purple'],
    [[255, 0, 255], 'magenta'],
    [[255, 182, 193], 'pink'],
    [[139, 69, 19], 'brown'],
    [[210, 180, 140], 'tan'],
    [[245, 235, 220], 'beige'],
    [[79, 83, 103], 'greyish blue'],
    [[0, 0, 0], 'black'],
    [[64, 64, 64], 'dark grey'],
    [[128, 128, 128], 'grey'],
    [[200, 200, 200], 'light grey'],
    [[255, 255, 255], 'white'],
  ] as const)('names %j %s', (rgb, name) => {
    expect(nameColour(rgb[0], rgb[1], rgb[2])).toBe(name);
  });

  it('writes hex with two digits per channel', () => {
    expect(toHex(1, 171, 255)).toBe('#01abff');
  });
});
