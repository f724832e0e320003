// Tells an image's format from its magic numbers alone; names and declared types are never trusted.

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp';

export const MEDIA_TYPES: Readonly<Record<ImageFormat, `image/${ImageFormat}`>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + prefix.length && prefix.every((value, index) => bytes[offset + index] === value);

const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0));

export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  return null;
}

export function formatFromMediaType(mediaType: string): ImageFormat | null {
  const entry = Object.entries(MEDIA_TYPES).find(([, type]) => type === mediaType);
  return entry ? (entry[0] as ImageFormat) : null;
}
