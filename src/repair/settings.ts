// Which repairs apply to one request: the server's configuration, overridden by the API key's, overridden
// by the request's `sightline-repair` header (`images`, `history`, both comma-separated, or `none`).
import { invalidRequest } from '../errors/index.js';
import type { RepairSettings } from './types.js';

export const REPAIR_HEADER = 'sightline-repair';

const KINDS = ['images', 'history'] as const;

export function resolveRepairSettings(
  server: RepairSettings,
  key: { images?: boolean; history?: boolean } | undefined,
  header: string | string[] | undefined,
): RepairSettings {
  const settings = { ...server, ...key };
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined) return settings;
  const kinds = value
    .split(',')
    .map((kind) => kind.trim().toLowerCase())
    .filter(Boolean);
  if (kinds.length === 1 && kinds[0] === 'none') return { ...settings, images: false, history: false };
  const unknown = kinds.find((kind) => !(KINDS as readonly string[]).includes(kind));
  if (unknown !== undefined || kinds.length === 0) {
    throw invalidRequest(
      `${REPAIR_HEADER}: ${JSON.stringify(unknown ?? value)} is not a repair kind; use images, history (comma-separated) or none`,
    );
  }
  return { ...settings, images: kinds.includes('images'), history: kinds.includes('history') };
}
