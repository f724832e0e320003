// The content key of a model view, so a conversation that re-sends the same image every turn has it
// measured (and read by OCR) once.
import { createHash } from 'node:crypto';
import type { PreparedImage } from '../types.js';

/** SHA-256 of the view bytes and its content size: equal keys mean equal measures. */
export function viewContentKey(image: PreparedImage): string {
  const { view } = image;
  return createHash('sha256')
    .update(`${view.contentWidth}x${view.contentHeight}:`)
    .update(view.data)
    .digest('hex');
}
