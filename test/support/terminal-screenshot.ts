// A terminal screenshot drawn with sharp's text renderer (Pango, DejaVu Sans Mono): a full screen of
// text, as users send to the local engine. Deterministic for a given font set.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { FIXTURES } from './images.js';

/** The 34 lines of a terminal session (commands, build output, listings) in `fixtures/terminal-session.txt`. */
export const TERMINAL_LINES: readonly string[] = readFileSync(join(FIXTURES, 'terminal-session.txt'), 'utf8')
  .split('\n')
  .filter((line) => line !== '');

const escapeMarkup = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A 1920×1080 terminal screenshot (light grey text on near-black), PNG. */
export async function terminalScreenshot(lines: readonly string[] = TERMINAL_LINES): Promise<Buffer> {
  const width = 1920;
  const height = 1080;
  const lineHeight = Math.floor((height - 40) / lines.length);
  const layers = await Promise.all(
    lines.map(async (line, index) => ({
      input: await sharp({
        text: {
          text: `<span foreground="#d8d8d8">${escapeMarkup(line)}</span>`,
          font: 'DejaVu Sans Mono 17',
          dpi: 72,
          rgba: true,
        },
      })
        .png()
        .toBuffer(),
      left: 24,
      top: 20 + index * lineHeight,
    })),
  );
  return sharp({ create: { width, height, channels: 3, background: '#1e1e1e' } })
    .composite(layers)
    .png()
    .toBuffer();
}
