// The Workbench's request (web/request.ts): `Image N:` before each image, numbered across the whole
// conversation, and each placement's JSON path naming its image block, which is how an API error about
// one image is traced back to the user's image.
import { describe, expect, it } from 'vitest';
import type { ContentBlockParam } from '../../src/wire/index.js';
import { buildRequest, countBody } from '../../web/request.js';
import type { Draft, PageImage } from '../../web/types.js';

const image = (name: string): PageImage => {
  const blob = new Blob([]);
  return {
    id: name,
    name,
    blob,
    shown: blob,
    size: 3,
    base64: 'AAAA',
    mediaType: 'image/png',
    probe: null,
    url: '',
    fileIds: new Map(),
    uploads: new Map(),
    uploadError: null,
    bitmap: null,
  };
};

const user = (text: string, ...names: string[]): Draft => ({ text, images: names.map(image) });

const request = (draft: Draft | null) =>
  buildRequest(
    {
      model: 'claude-sonnet-4-6',
      system: '  ',
      maxTokens: 64,
      parameters: { temperature: 0.2 },
      turns: [
        { user: user('two images', 'a.png', 'b.png'), assistant: { text: 'an answer' } },
        { user: user('', 'c.png'), assistant: { text: '' } }, // failed without text: no assistant turn
      ],
      draft,
    },
    (picture, number) => ({
      type: 'base64',
      media_type: picture.mediaType,
      data: `${number}:${picture.name}`,
    }),
  );

/** The block a JSON path `messages.M.content.C` names. */
function blockAt(messages: ReturnType<typeof request>['body']['messages'], path: string): ContentBlockParam {
  const [, message, block] = /^messages\.(\d+)\.content\.(\d+)$/.exec(path)!;
  const content = messages[Number(message)]!.content;
  if (typeof content === 'string') throw new Error(`${path} is a string message`);
  return content[Number(block)]!;
}

describe('buildRequest', () => {
  it('numbers the images across the conversation and keeps each one’s JSON path', () => {
    const { body, placements } = request(user('and these?', 'd.png'));
    expect(placements.map(({ image: picture, number }) => [number, picture.name])).toEqual([
      [1, 'a.png'],
      [2, 'b.png'],
      [3, 'c.png'],
      [4, 'd.png'],
    ]);
    for (const { image: picture, number, path } of placements) {
      expect(blockAt(body.messages, path)).toEqual({
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: `${number}:${picture.name}` },
      });
      // the text block before it names it as the user counts
      const [, message, block] = /^messages\.(\d+)\.content\.(\d+)$/.exec(path)!;
      expect(blockAt(body.messages, `messages.${message}.content.${Number(block) - 1}`)).toEqual({
        type: 'text',
        text: `Image ${number}:`,
      });
    }
    expect(body.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'user']);
    expect(body).toMatchObject({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      temperature: 0.2,
      stream: true,
    });
    expect(body).not.toHaveProperty('system'); // whitespace only: not sent
  });

  it('leaves out an empty message box, and count_tokens gets the request without sending fields', () => {
    const { body, placements } = request(user('  '));
    expect(placements).toHaveLength(3);
    expect(body.messages).toHaveLength(3);
    expect(countBody(body)).toEqual({ model: 'claude-sonnet-4-6', messages: body.messages });
  });
});
