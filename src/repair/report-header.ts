// The `sightline-repairs` response header: one entry per change, bounded in size (the full list is in
// `usage.sightline.repairs`).
import type { ImageFacts, RepairReport } from './types.js';

export const REPAIRS_HEADER = 'sightline-repairs';
export const MAX_REPAIRS_HEADER_LENGTH = 2048;

const facts = (image: ImageFacts) => `${image.width}x${image.height} ${image.media_type} ${image.bytes}B`;

const entry = (report: RepairReport): string =>
  `${report.path} ${report.action} ${facts(report.before)}>${report.after ? facts(report.after) : 'text'}`;

/** `path action WxH type bytesB>WxH type bytesB, …`; past the bound, `... +N more`. */
export function formatRepairsHeader(
  reports: readonly RepairReport[],
  maxLength = MAX_REPAIRS_HEADER_LENGTH,
): string {
  const parts: string[] = [];
  let length = 0;
  for (const [index, report] of reports.entries()) {
    const text = entry(report);
    const added = (parts.length > 0 ? 2 : 0) + text.length;
    const reserve = index < reports.length - 1 ? 20 : 0; // room for ", ... +N more"
    if (length + added + reserve > maxLength) {
      parts.push(`... +${reports.length - index} more`);
      break;
    }
    parts.push(text);
    length += added;
  }
  return parts.join(', ');
}
