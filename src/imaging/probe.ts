// Reads width, height, animation, alpha and orientation from image headers only, never decoding pixels
// (docs/rules/pipeline.md §2).
// Every read is bounds-checked: a truncated or lying header gives `null`, never garbage or a throw.
import { type ImageFormat, sniffFormat } from './sniff.js';

export interface ImageProbe {
  format: ImageFormat;
  width: number;
  height: number;
  /** More than one frame (animated GIF, animated WebP, APNG). */
  animated: boolean;
  /** The header says the image can have transparent pixels. */
  hasAlpha: boolean;
  /** Progressive JPEG or interlaced PNG/GIF: costlier to decode. */
  progressive: boolean;
  /** EXIF orientation 1–8 when the header carries one (JPEG), else 1. */
  orientation: number;
}

class Reader {
  constructor(readonly bytes: Uint8Array) {}
  has(offset: number, length: number): boolean {
    return offset >= 0 && offset + length <= this.bytes.length;
  }
  u8(offset: number): number {
    if (!this.has(offset, 1)) throw new RangeError('truncated');
    return this.bytes[offset]!;
  }
  u16be(offset: number): number {
    return (this.u8(offset) << 8) | this.u8(offset + 1);
  }
  u16le(offset: number): number {
    return this.u8(offset) | (this.u8(offset + 1) << 8);
  }
  u24le(offset: number): number {
    return this.u16le(offset) | (this.u8(offset + 2) << 16);
  }
  u32be(offset: number): number {
    return (
      ((this.u8(offset) << 24) >>> 0) +
      (this.u8(offset + 1) << 16) +
      (this.u8(offset + 2) << 8) +
      this.u8(offset + 3)
    );
  }
  u32le(offset: number): number {
    return (
      ((this.u8(offset + 3) << 24) >>> 0) +
      (this.u8(offset + 2) << 16) +
      (this.u8(offset + 1) << 8) +
      this.u8(offset)
    );
  }
  tag(offset: number): string {
    if (!this.has(offset, 4)) throw new RangeError('truncated');
    return String.fromCharCode(...this.bytes.subarray(offset, offset + 4));
  }
}

export function probeImage(bytes: Uint8Array): ImageProbe | null {
  const format = sniffFormat(bytes);
  if (format === null) return null;
  const reader = new Reader(bytes);
  try {
    const probe = PROBES[format](reader);
    if (probe === null || probe.width < 1 || probe.height < 1) return null;
    return probe;
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

type Probe = (reader: Reader) => ImageProbe | null;

const probePng: Probe = (reader) => {
  // IHDR must be the first chunk: length 13 at offset 8.
  if (reader.u32be(8) !== 13 || reader.tag(12) !== 'IHDR') return null;
  const width = reader.u32be(16);
  const height = reader.u32be(20);
  const colourType = reader.u8(25);
  const interlaced = reader.u8(28) === 1;
  let hasAlpha = colourType === 4 || colourType === 6;
  let animated = false;
  // Walk the chunks before the image data for tRNS (transparency) and acTL (APNG).
  let offset = 33;
  while (reader.has(offset, 8)) {
    const length = reader.u32be(offset);
    const type = reader.tag(offset + 4);
    if (type === 'IDAT' || type === 'IEND') break;
    if (type === 'tRNS') hasAlpha = true;
    if (type === 'acTL') animated = reader.u32be(offset + 8) > 1;
    offset += 12 + length;
  }
  return { format: 'png', width, height, animated, hasAlpha, progressive: interlaced, orientation: 1 };
};

const probeGif: Probe = (reader) => {
  // the logical screen; the decoder (libnsgif) grows it to hold the first frame, and so do we
  let width = reader.u16le(6);
  let height = reader.u16le(8);
  const screenFlags = reader.u8(10);
  let offset = 13;
  if (screenFlags & 0x80) offset += 3 * (1 << ((screenFlags & 0x07) + 1));
  let frames = 0;
  let hasAlpha = false;
  let interlaced = false;
  const skipSubBlocks = (start: number): number => {
    let position = start;
    for (let size = reader.u8(position); size !== 0; size = reader.u8(position)) position += size + 1;
    return position + 1;
  };
  // Walk blocks until the second frame (animation is then known) or the trailer; pixels are skipped.
  while (frames < 2 && reader.has(offset, 1)) {
    const introducer = reader.u8(offset);
    if (introducer === 0x3b) break;
    if (introducer === 0x21) {
      const label = reader.u8(offset + 1);
      if (label === 0xf9 && frames === 0 && reader.u8(offset + 3) & 0x01) hasAlpha = true;
      offset = skipSubBlocks(offset + 2);
    } else if (introducer === 0x2c) {
      const flags = reader.u8(offset + 9);
      if (frames === 0) {
        interlaced = (flags & 0x40) !== 0;
        width = Math.max(width, reader.u16le(offset + 1) + reader.u16le(offset + 5));
        height = Math.max(height, reader.u16le(offset + 3) + reader.u16le(offset + 7));
      }
      frames += 1;
      offset += 10;
      if (flags & 0x80) offset += 3 * (1 << ((flags & 0x07) + 1));
      offset = skipSubBlocks(offset + 1);
    } else {
      return null;
    }
  }
  if (frames === 0) return null;
  return {
    format: 'gif',
    width,
    height,
    animated: frames > 1,
    hasAlpha,
    progressive: interlaced,
    orientation: 1,
  };
};

const probeWebp: Probe = (reader) => {
  const chunk = reader.tag(12);
  const data = 20;
  if (chunk === 'VP8 ') {
    // Lossy: a 3-byte frame tag, the start code 9d 01 2a, then 14-bit width and height.
    if (reader.u8(data + 3) !== 0x9d || reader.u8(data + 4) !== 0x01 || reader.u8(data + 5) !== 0x2a)
      return null;
    const width = reader.u16le(data + 6) & 0x3fff;
    const height = reader.u16le(data + 8) & 0x3fff;
    return {
      format: 'webp',
      width,
      height,
      animated: false,
      hasAlpha: false,
      progressive: false,
      orientation: 1,
    };
  }
  if (chunk === 'VP8L') {
    if (reader.u8(data) !== 0x2f) return null;
    const bits = reader.u32le(data + 1);
    const width = (bits & 0x3fff) + 1;
    const height = ((bits >>> 14) & 0x3fff) + 1;
    const hasAlpha = ((bits >>> 28) & 1) === 1;
    return { format: 'webp', width, height, animated: false, hasAlpha, progressive: false, orientation: 1 };
  }
  if (chunk === 'VP8X') {
    const flags = reader.u8(data);
    const width = reader.u24le(data + 4) + 1;
    const height = reader.u24le(data + 7) + 1;
    return {
      format: 'webp',
      width,
      height,
      animated: (flags & 0x02) !== 0,
      hasAlpha: (flags & 0x10) !== 0,
      progressive: false,
      orientation: 1,
    };
  }
  return null;
};

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const PROGRESSIVE_MARKERS = new Set([0xc2, 0xc6, 0xca, 0xce]);

interface JpegSegment {
  marker: number;
  /** offset of the segment's length field */
  offset: number;
  length: number;
}

/**
 * The marker segments of a JPEG up to and including its frame header (APPn with EXIF/ICC may come
 * first). Returns null when the stream ends or turns to scan data before a frame header.
 */
function readJpegSegments(reader: Reader): JpegSegment[] | null {
  const segments: JpegSegment[] = [];
  let offset = 2;
  for (;;) {
    if (reader.u8(offset) !== 0xff) return null;
    let marker = reader.u8(offset + 1);
    while (marker === 0xff) {
      offset += 1;
      marker = reader.u8(offset + 1);
    }
    offset += 2;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan data before any frame header
    const length = reader.u16be(offset);
    if (length < 2) return null;
    segments.push({ marker, offset, length });
    if (SOF_MARKERS.has(marker)) return segments;
    offset += length;
  }
}

/** The EXIF orientation entry of an APP1 segment: the value's offset, byte order and value (1–8). */
function findOrientationEntry(reader: Reader, start: number, length: number) {
  if (length < 14 || !reader.has(start, length) || reader.tag(start) !== 'Exif') return undefined;
  const tiff = start + 6;
  const littleEndian = reader.u16be(tiff) === 0x4949;
  const u16 = (offset: number) => (littleEndian ? reader.u16le(offset) : reader.u16be(offset));
  const u32 = (offset: number) => (littleEndian ? reader.u32le(offset) : reader.u32be(offset));
  const end = start + length;
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > end) return undefined;
  const entries = u16(ifd);
  for (let index = 0; index < entries; index += 1) {
    const entry = ifd + 2 + index * 12;
    if (entry + 12 > end) return undefined;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? { offset: entry + 8, littleEndian, value } : undefined;
    }
  }
  return undefined;
}

/** The first EXIF orientation entry among the segments, if any. */
function findExifOrientation(reader: Reader, segments: JpegSegment[]) {
  for (const { marker, offset, length } of segments) {
    if (marker !== 0xe1) continue;
    const entry = findOrientationEntry(reader, offset + 2, length - 2);
    if (entry) return entry;
  }
  return undefined;
}

const probeJpeg: Probe = (reader) => {
  const segments = readJpegSegments(reader);
  const frame = segments?.at(-1);
  if (!segments || !frame) return null;
  return {
    format: 'jpeg',
    width: reader.u16be(frame.offset + 5),
    height: reader.u16be(frame.offset + 3),
    animated: false,
    hasAlpha: false,
    progressive: PROGRESSIVE_MARKERS.has(frame.marker),
    orientation: findExifOrientation(reader, segments)?.value ?? 1,
  };
};

/**
 * A copy of a JPEG whose EXIF orientation says "as stored" (1), to show what the model sees where
 * orientation is applied regardless (browsers always apply it). Other images come back unchanged.
 */
export function withoutExifOrientation(bytes: Uint8Array): Uint8Array {
  if (sniffFormat(bytes) !== 'jpeg') return bytes;
  const reader = new Reader(bytes);
  try {
    const segments = readJpegSegments(reader);
    const entry = segments ? findExifOrientation(reader, segments) : undefined;
    if (!entry || entry.value === 1) return bytes;
    const copy = new Uint8Array(bytes);
    copy[entry.offset] = entry.littleEndian ? 1 : 0;
    copy[entry.offset + 1] = entry.littleEndian ? 0 : 1;
    return copy;
  } catch (error) {
    if (error instanceof RangeError) return bytes;
    throw error;
  }
}

const PROBES: Readonly<Record<ImageFormat, Probe>> = {
  jpeg: probeJpeg,
  png: probePng,
  gif: probeGif,
  webp: probeWebp,
};
