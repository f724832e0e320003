// Measures how much JPEG quality a model view of a text-dense screenshot needs (docs/views.md): a
// 2560×1600 code-editor screenshot (dark and light panels, coloured syntax, small text) saved as JPEG q90
// — the 543 KB case of issue 9 — is scaled to each tier's view, then encoded lossless (PNG) and as JPEG at
// q 75–95 with 4:2:0 and 4:4:4 chroma. Each JPEG is compared with the lossless view: PSNR over RGB, mean
// SSIM (8×8 windows, step 4, per channel; the worst channel), and OCR (tesseract.js, English) character
// error rate against the text drawn. `--quick` skips OCR (used by `npm run bench`).
// Run: npm run build && node bench/view-quality.js [--quick]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { HIGH_RESOLUTION_PROFILE, planImage, STANDARD_PROFILE } from '../dist/src/index.js';
import { createRandom } from './inputs.js';

const WIDTH = 2560;
const HEIGHT = 1600;
const FONT_SIZE = 22;
const LINE_HEIGHT = 30;
const QUALITIES = [75, 80, 85, 90, 95];
const CHROMA = ['4:2:0', '4:4:4'];

const WORDS = (
  'const function return import export await async render image view width height quality ' +
  'buffer format sharp resize encode decode token patch upstream backend request response ' +
  'stream message delta start error limit bytes JPEG PNG WebP pixel canvas scale profile ' +
  'model claude vision cache key hash content block source base64 media type'
).split(' ');

/** A code-editor-like screenshot: three panels (two light, one dark), coloured tokens; returns the text. */
export function screenshotSvg(seed = 7) {
  const random = createRandom(seed);
  const colours = {
    light: ['#1f1f1f', '#0000c8', '#a31515', '#098658', '#795e26'],
    dark: ['#d4d4d4', '#569cd6', '#ce9178', '#6a9955', '#dcdcaa'],
  };
  const panels = [
    { x: 0, width: 860, theme: 'light', background: '#ffffff' },
    { x: 860, width: 860, theme: 'dark', background: '#1e1e1e' },
    { x: 1720, width: 840, theme: 'light', background: '#f3f3f3' },
  ];
  const escapeXml = (text) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  const lines = [];
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">`;
  for (const panel of panels) {
    svg += `<rect x="${panel.x}" y="0" width="${panel.width}" height="${HEIGHT}" fill="${panel.background}"/>`;
    for (let y = 40; y < HEIGHT - 10; y += LINE_HEIGHT) {
      let line = '';
      let spans = '';
      const indent = Math.floor(random() * 4) * 2;
      const count = 3 + Math.floor(random() * 6);
      for (let index = 0; index < count; index += 1) {
        const word = WORDS[Math.floor(random() * WORDS.length)];
        const colour = colours[panel.theme][Math.floor(random() * 5)];
        const text = `${index === 0 ? ' '.repeat(indent) : ' '}${word}${random() < 0.3 ? '();' : ''}`;
        if (line.length + text.length > 54) break; // stays inside its panel
        line += text;
        spans += `<tspan fill="${colour}">${escapeXml(text)}</tspan>`;
      }
      svg += `<text xml:space="preserve" x="${panel.x + 16}" y="${y}" font-family="DejaVu Sans Mono" font-size="${FONT_SIZE}">${spans}</text>`;
      lines.push(line.trim());
    }
  }
  svg += '</svg>';
  return { svg: Buffer.from(svg), text: lines.join(' ') };
}

/** The screenshot as a JPEG q90 (what a screenshot tool or browser would hand over). */
export async function screenshotJpeg(seed = 7) {
  const { svg, text } = screenshotSvg(seed);
  const jpeg = await sharp(svg).flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
  return { jpeg, text };
}

const rawRgb = async (image) => sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });

/** PSNR in dB over all RGB samples. */
function psnr(a, b) {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) {
    const d = a[index] - b[index];
    sum += d * d;
  }
  const mse = sum / a.length;
  return mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255) / mse);
}

/** Mean SSIM of one channel over 8×8 windows with step 4 (Wang et al. 2004 constants). */
function ssimChannel(a, b, width, height, channel) {
  const C1 = (0.01 * 255) ** 2;
  const C2 = (0.03 * 255) ** 2;
  let total = 0;
  let windows = 0;
  for (let y0 = 0; y0 + 8 <= height; y0 += 4) {
    for (let x0 = 0; x0 + 8 <= width; x0 += 4) {
      let sa = 0;
      let sb = 0;
      let saa = 0;
      let sbb = 0;
      let sab = 0;
      for (let y = y0; y < y0 + 8; y += 1) {
        for (let x = x0; x < x0 + 8; x += 1) {
          const index = (y * width + x) * 3 + channel;
          const va = a[index];
          const vb = b[index];
          sa += va;
          sb += vb;
          saa += va * va;
          sbb += vb * vb;
          sab += va * vb;
        }
      }
      const n = 64;
      const ma = sa / n;
      const mb = sb / n;
      const va = saa / n - ma * ma;
      const vb = sbb / n - mb * mb;
      const cov = sab / n - ma * mb;
      total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      windows += 1;
    }
  }
  return total / windows;
}

const ssim = (a, b, width, height) =>
  Math.min(...[0, 1, 2].map((channel) => ssimChannel(a, b, width, height, channel)));

/** Levenshtein distance over characters (two rows). */
function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

const normalise = (text) => text.replace(/\s+/g, ' ').trim();

async function createOcr() {
  const { createWorker, OEM } = await import('tesseract.js');
  const require = createRequire(import.meta.url);
  const langPath = path.join(
    path.dirname(require.resolve('@tesseract.js-data/eng/package.json')),
    '4.0.0_best_int',
  );
  const worker = await createWorker('eng', OEM.LSTM_ONLY, { langPath, gzip: true, cacheMethod: 'none' });
  return {
    async errorRate(image, truth) {
      const { data } = await worker.recognize(image);
      const read = normalise(data.text);
      return editDistance(read, truth) / truth.length;
    },
    close: () => worker.terminate(),
  };
}

/** Every tier × encoding: bytes, encode time, PSNR, SSIM (and OCR error rate unless quick). */
export async function measureViewQuality({ quick = false } = {}) {
  const { jpeg, text } = await screenshotJpeg();
  const truth = normalise(text);
  const ocr = quick ? undefined : await createOcr();
  const tiers = { standard: STANDARD_PROFILE, 'high-resolution': HIGH_RESOLUTION_PROFILE };
  const results = { source_bytes: jpeg.length, source: `${WIDTH}x${HEIGHT} JPEG q90`, tiers: {} };
  try {
    for (const [tier, profile] of Object.entries(tiers)) {
      const plan = planImage(WIDTH, HEIGHT, profile);
      const resized = () =>
        sharp(jpeg).resize(plan.viewWidth, plan.viewHeight, { fit: 'fill', kernel: 'lanczos3' });
      let started = performance.now();
      const png = await resized().png({ compressionLevel: 6 }).toBuffer();
      const pngMs = performance.now() - started;
      const reference = await rawRgb(png);
      const rows = [
        { encoding: 'PNG (lossless)', bytes: png.length, ms: pngMs, psnr: Number.POSITIVE_INFINITY, ssim: 1 },
      ];
      if (ocr) rows[0].ocr_error = await ocr.errorRate(png, truth);
      for (const chroma of CHROMA) {
        for (const quality of QUALITIES) {
          started = performance.now();
          const encoded = await resized()
            .jpeg({ quality, chromaSubsampling: chroma, mozjpeg: false })
            .toBuffer();
          const ms = performance.now() - started;
          const pixels = await rawRgb(encoded);
          const row = {
            encoding: `JPEG q${quality} ${chroma}`,
            bytes: encoded.length,
            ms,
            psnr: psnr(reference.data, pixels.data),
            ssim: ssim(reference.data, pixels.data, reference.info.width, reference.info.height),
          };
          if (ocr) row.ocr_error = await ocr.errorRate(encoded, truth);
          rows.push(row);
        }
      }
      results.tiers[tier] = { view: `${plan.viewWidth}x${plan.viewHeight}`, rows };
    }
  } finally {
    await ocr?.close();
  }
  return results;
}

export function printViewQuality(results) {
  console.log(
    `\nView quality: ${results.source} (${(results.source_bytes / 1024).toFixed(0)} KB), scaled to each tier's view`,
  );
  for (const [tier, { view, rows }] of Object.entries(results.tiers)) {
    console.log(`  ${tier} tier, view ${view}`);
    for (const row of rows) {
      const ocr = row.ocr_error === undefined ? '' : `  OCR CER ${(row.ocr_error * 100).toFixed(2)}%`;
      console.log(
        `    ${row.encoding.padEnd(16)} ${(row.bytes / 1024).toFixed(0).padStart(6)} KB ${row.ms.toFixed(0).padStart(5)} ms  PSNR ${Number.isFinite(row.psnr) ? row.psnr.toFixed(2) : '  ∞  '} dB  SSIM ${row.ssim.toFixed(4)}${ocr}`,
      );
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await measureViewQuality({ quick: process.argv.includes('--quick') });
  printViewQuality(results);
}
