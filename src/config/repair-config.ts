// The `repair` and `computer_use` settings (issue 13), globally and per API key. Both are off by default:
// the default stays Claude-exact.
import { z } from 'zod';
import { flag, oneOf, section, text, wholeNumber } from './schema-fields.js';

export const computerUseSchema = oneOf(['scale', 'off']);
export type ComputerUseMode = z.output<typeof computerUseSchema>;

export const repairSchema = section({
  images: flag().default(false),
  history: flag().default(false),
  /** The most recent tool_result images that history repair never touches. */
  keep_recent_screenshots: wholeNumber(0).default(3),
  /** Bodies up to this size are read when history repair is on for the request (others stop at 32 MiB). */
  max_request_bytes: wholeNumber(32 * 1024 * 1024).default(128 * 1024 * 1024),
}).transform(({ images, history, keep_recent_screenshots, max_request_bytes }) => ({
  images,
  history,
  keepRecentScreenshots: keep_recent_screenshots,
  maxRequestBytes: max_request_bytes,
}));

export type RepairConfig = z.output<typeof repairSchema>;

export const DEFAULT_REPAIR_CONFIG: RepairConfig = repairSchema.parse({});

/** An `api_keys` entry: a bare key, or `{ key, workspace, repair?, computer_use? }`. */
export const apiKeyEntrySchema = z.union(
  [
    text('a key'),
    section({
      key: text('a key'),
      workspace: text('a workspace name'),
      repair: section({ images: flag().exactOptional(), history: flag().exactOptional() }).exactOptional(),
      computer_use: computerUseSchema.exactOptional(),
    }),
  ],
  { error: 'expected a key, or a mapping with key and workspace' },
);

/** Per-key overrides (`api_keys: [{ key, workspace, repair: {...}, computer_use: scale }]`). */
export interface KeyOverrides {
  repair?: { images?: boolean; history?: boolean };
  computerUse?: ComputerUseMode;
}
