// Tests the walk over a request that lists its image blocks in reading order.
import { describe, expect, it } from 'vitest';
import type { ImageBlockParam, MessagesRequest } from '../../wire/index.js';
import type { PreparedImage } from '../types.js';
import { findImages } from './find-images.js';

function block(label: string): ImageBlockParam {
  return { type: 'image', source: { type: 'url', url: `https://example.com/${label}.png` } };
}

describe('findImages', () => {
  it('lists image blocks of all turns in order, including those inside tool_result content', () => {
    const [first, second, nested, last] = [block('a'), block('b'), block('c'), block('d')];
    const body: MessagesRequest = {
      model: 'm',
      max_tokens: 10,
      messages: [
        { role: 'user', content: [first, { type: 'text', text: 'hi' }, second] },
        { role: 'assistant', content: 'plain text turn' },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'x' }, nested] },
            { type: 'tool_result', tool_use_id: 'u', content: 'text only' },
            last,
          ],
        },
      ],
    };
    const prepared = { path: 'messages.0.content.0' } as PreparedImage;
    const found = findImages(body, new Map([[first, prepared]]));
    expect(found.map((image) => image.block)).toEqual([first, second, nested, last]);
    expect(found[0]?.block).toBe(first);
    expect(found[0]?.prepared).toBe(prepared);
    expect(found[1]?.prepared).toBeUndefined();
  });
});
