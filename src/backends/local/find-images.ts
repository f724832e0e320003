// Walks a Messages request and lists its image blocks in reading order (all turns, including images
// nested in `tool_result` content), paired with the prepared image the server made for each.
import type { ImageBlockParam, MessagesRequest } from '../../wire/index.js';
import type { PreparedImage } from '../types.js';

export interface FoundImage {
  block: ImageBlockParam;
  /** Undefined when the server prepared no view for this block (it should not happen). */
  prepared: PreparedImage | undefined;
}

function isImageBlock(block: { type: string }): block is ImageBlockParam {
  return block.type === 'image';
}

/** Image blocks of `body`, in order, as the model would read them. */
export function findImages(
  body: MessagesRequest,
  images: ReadonlyMap<ImageBlockParam, PreparedImage>,
): FoundImage[] {
  const found: FoundImage[] = [];
  const add = (block: ImageBlockParam): void => {
    found.push({ block, prepared: images.get(block) });
  };
  for (const message of body.messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (isImageBlock(block)) add(block);
      else if (block.type === 'tool_result' && Array.isArray(block.content)) {
        for (const nested of block.content as Array<{ type: string }>) {
          if (isImageBlock(nested)) add(nested);
        }
      }
    }
  }
  return found;
}
