// The progress bar: its text, drawn only on a terminal, throttled, erased at the end.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressBar, renderProgress } from './progress-bar.js';

const capture = (isTTY: boolean) => {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
};

describe('progress bar', () => {
  it('renderProgress', () =>
    expect(renderProgress(15, 60, 'Probing')).toBe(`Probing [${'#'.repeat(8)}${'.'.repeat(22)}] 15/60 25%`));
  it('nothing when not a terminal', () => {
    const { stream, text } = capture(false);
    const bar = createProgressBar(stream, 'P');
    bar.update(1, 2);
    bar.finish();
    expect(text()).toBe('');
  });
  it('throttled on a terminal; the last update always drawn; erased at the end', () => {
    const { stream, text } = capture(true);
    let time = 1000;
    const bar = createProgressBar(stream, 'P', () => time);
    bar.update(1, 3);
    time += 10;
    bar.update(2, 3);
    bar.update(3, 3);
    bar.finish();
    expect(text().split('\r').filter(Boolean)).toEqual([
      renderProgress(1, 3, 'P'),
      renderProgress(3, 3, 'P'),
      '\u001b[K',
    ]);
  });
});
