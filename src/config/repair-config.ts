// The `repair` and `computer_use` settings (issue 13), globally and per API key. Both are off by default:
// the default stays Claude-exact.
import { isRecord } from '../net/index.js';
import { ConfigError } from './config.js';

export interface RepairConfig {
  images: boolean;
  history: boolean;
  /** The most recent tool_result images that history repair never touches. */
  keepRecentScreenshots: number;
  /** Bodies up to this size are read when history repair is on for the request (others stop at 32 MiB). */
  maxRequestBytes: number;
}

export type ComputerUseMode = 'off' | 'scale';

/** Per-key overrides (`api_keys: [{ key, workspace, repair: {...}, computer_use: scale }]`). */
export interface KeyOverrides {
  repair?: { images?: boolean; history?: boolean };
  computerUse?: ComputerUseMode;
}

export const DEFAULT_REPAIR_CONFIG: RepairConfig = {
  images: false,
  history: false,
  keepRecentScreenshots: 3,
  maxRequestBytes: 128 * 1024 * 1024,
};

const fail = (where: string, what: string, value: unknown): never => {
  throw new ConfigError(`${where}: expected ${what}, got ${JSON.stringify(value)}`);
};

function booleanAt(raw: Record<string, unknown>, key: string, where: string): boolean | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  return typeof value === 'boolean' ? value : fail(`${where}.${key}`, 'true or false', value);
}

function countAt(raw: Record<string, unknown>, key: string, where: string, min: number): number | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  return Number.isInteger(value) && (value as number) >= min
    ? (value as number)
    : fail(`${where}.${key}`, `an integer ≥ ${min}`, value);
}

export function parseRepairConfig(raw: unknown, where = 'repair'): RepairConfig {
  if (!isRecord(raw)) return fail(where, 'a mapping', raw);
  return {
    images: booleanAt(raw, 'images', where) ?? DEFAULT_REPAIR_CONFIG.images,
    history: booleanAt(raw, 'history', where) ?? DEFAULT_REPAIR_CONFIG.history,
    keepRecentScreenshots:
      countAt(raw, 'keep_recent_screenshots', where, 0) ?? DEFAULT_REPAIR_CONFIG.keepRecentScreenshots,
    maxRequestBytes:
      countAt(raw, 'max_request_bytes', where, 32 * 1024 * 1024) ?? DEFAULT_REPAIR_CONFIG.maxRequestBytes,
  };
}

export function parseComputerUse(raw: unknown, where = 'computer_use'): ComputerUseMode {
  return raw === 'scale' || raw === 'off' ? raw : fail(where, 'scale or off', raw);
}

export function parseKeyOverrides(raw: Record<string, unknown>, where: string): KeyOverrides {
  const overrides: KeyOverrides = {};
  if (raw.repair !== undefined) {
    if (!isRecord(raw.repair)) fail(`${where}.repair`, 'a mapping', raw.repair);
    const repair = raw.repair as Record<string, unknown>;
    const images = booleanAt(repair, 'images', `${where}.repair`);
    const history = booleanAt(repair, 'history', `${where}.repair`);
    overrides.repair = {
      ...(images === undefined ? {} : { images }),
      ...(history === undefined ? {} : { history }),
    };
  }
  if (raw.computer_use !== undefined)
    overrides.computerUse = parseComputerUse(raw.computer_use, `${where}.computer_use`);
  return overrides;
}
