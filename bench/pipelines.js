// The in-process render variants: Sightline's library (per-image path and full pipeline) and a
// hand-written raw sharp pipeline doing the same sharp steps (Pillow and jimp run in worker processes).
import sharp from 'sharp';
import { planImage, probeImage, renderModelView, STANDARD_PROFILE } from '../dist/src/index.js';

export const TARGET = { id: 'claude-sonnet-4-6', profile: STANDARD_PROFILE, maxImages: 100 };
const MAX_INPUT_PIXELS = 8000 * 8000;

/** What the server does per image: probe the header, plan for the model, render the PNG view. */
export async function sightlineRender(bytes) {
  const probe = probeImage(bytes);
  if (probe === null) throw new Error('probe failed');
  const plan = planImage(probe.width, probe.height, STANDARD_PROFILE);
  return (await renderModelView(bytes, plan, probe.hasAlpha)).data;
}

/** The library's whole per-request path for one `file` source: hash, probe, validate, plan, render. */
export async function sightlinePrepare(pipeline, bytes) {
  const [prepared] = await pipeline.prepare(
    [{ path: 'messages.0.content.0', source: { kind: 'file', bytes } }],
    TARGET,
  );
  return prepared.view.data;
}

/** Output encodings for the raw sharp pipeline: the library's PNG, and alternatives for the diagnostics. */
export const ENCODERS = {
  png6: (image) => image.png({ compressionLevel: 6 }),
  png1: (image) => image.png({ compressionLevel: 1 }),
  raw: (image) => image.raw(),
};

/**
 * The same sharp steps written by hand, told the plan up front (no probe, no plan, no checks).
 * `plan` comes from planImage; every bench input is opaque, so alpha is removed as the library does.
 */
export function rawSharpRender(bytes, plan, encode = ENCODERS.png6) {
  let image = sharp(bytes, { failOn: 'error', pages: 1, limitInputPixels: MAX_INPUT_PIXELS });
  if (plan.resized)
    image = image.resize(plan.viewWidth, plan.viewHeight, { fit: 'fill', kernel: 'lanczos3' });
  image = image.removeAlpha().extend({
    right: plan.canvasWidth - plan.viewWidth,
    bottom: plan.canvasHeight - plan.viewHeight,
    background: { r: 0, g: 0, b: 0, alpha: 1 },
  });
  return encode(image).toBuffer();
}

/** Full decode to raw pixels, the cost a header probe avoids (case 4). */
export const fullDecode = (bytes) => sharp(bytes).raw().toBuffer();
