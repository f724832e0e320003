// One-time sharp (libvips) settings: a loader allow-list so only JPEG/PNG/GIF/WebP buffers are ever
// decoded (libvips would otherwise sniff and decode SVG, TIFF, HEIF, PDF…), and no operation cache,
// since inputs are unique and the cache holds decoded state (docs/rules/pipeline.md §1).
import sharp from 'sharp';

const ALLOWED_LOADERS = [
  'VipsForeignLoadJpegBuffer',
  'VipsForeignLoadPngBuffer',
  'VipsForeignLoadWebpBuffer',
  'VipsForeignLoadNsgifBuffer',
];

let configured = false;

export function configureSharp(): typeof sharp {
  if (!configured) {
    sharp.block({ operation: ['VipsForeignLoad'] });
    sharp.unblock({ operation: ALLOWED_LOADERS });
    sharp.cache(false);
    configured = true;
  }
  return sharp;
}
