// Unit tests of the prompt builder: each image part gets the prepared image of its JSON path (in user
// turns and inside tool results, whatever the source), tool calls and results are typed, system and
// shorthand content are kept, unknown fields ride along as extras, and a copy of the body works alike.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors/index.js';
import type { MessagesRequest } from '../../wire/index.js';
import { listPromptImages } from './list-prompt-images.js';
import { normaliseMessagesRequest } from './normalise-messages-request.js';
import type { PreparedImage, PromptImagePart, PromptToolResultPart } from './types.js';

function preparedAt(path: string): PreparedImage {
  return {
    path,
    original: { bytes: Buffer.from(`original ${path}`), mediaType: 'image/png', width: 640, height: 480 },
    view: {
      data: Buffer.from(`view ${path}`),
      mediaType: 'image/png',
      width: 644,
      height: 504,
      contentWidth: 640,
      contentHeight: 480,
    },
    tokens: 410,
  };
}

const PATHS = {
  base64: 'messages.0.content.1',
  url: 'messages.0.content.2',
  file: 'messages.2.content.0.tool_result.content.1',
  secondToolImage: 'messages.2.content.1.tool_result.content.0',
};

/** An agent turn: images of every source, a tool call, its results with a screenshot, some Anthropic extras. */
function agentBody(): MessagesRequest {
  return {
    model: 'client-model',
    max_tokens: 512,
    system: 'You operate a computer.',
    stream: true,
    temperature: 0.3,
    stop_sequences: ['DONE'],
    tools: [{ name: 'screenshot', input_schema: { type: 'object' } }],
    tool_choice: { type: 'auto' },
    thinking: { type: 'enabled', budget_tokens: 2048 },
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare:' },
          {
            type: 'image',
            source: { type: 'base64', media_type: 'image/png', data: 'aGVsbG8=' },
            cache_control: { type: 'ephemeral' },
            transformations: { oversized_image: 'downsize' },
          },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'look first', signature: 's' },
          { type: 'tool_use', id: 'toolu_1', name: 'screenshot', input: { display: 1 } },
          { type: 'tool_use', id: 'toolu_2', name: 'screenshot', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: [
              { type: 'text', text: 'Captured.' },
              { type: 'image', source: { type: 'file', file_id: 'file_011' } },
            ],
          },
          {
            type: 'tool_result',
            tool_use_id: 'toolu_2',
            is_error: false,
            content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/b.png' } }],
          },
        ],
      },
    ],
  };
}

const allPrepared = () => Object.values(PATHS).map(preparedAt);

describe('normaliseMessagesRequest', () => {
  it('gives every image part the prepared image of its path, in user turns and inside tool results', () => {
    const { prompt } = normaliseMessagesRequest(agentBody(), allPrepared().reverse());
    const images = listPromptImages(prompt);
    expect(images.map((part) => part.image.path)).toEqual([
      PATHS.base64,
      PATHS.url,
      PATHS.file,
      PATHS.secondToolImage,
    ]);
    expect(images.map((part) => part.source.type)).toEqual(['base64', 'url', 'file', 'url']);
    const base64 = prompt.turns[0]!.parts[1] as PromptImagePart;
    expect(base64.image.view.data.toString()).toBe(`view ${PATHS.base64}`);
    expect(base64.source).toEqual({ type: 'base64', media_type: 'image/png', data: 'aGVsbG8=' });
    expect(base64.transformations).toEqual({ oversized_image: 'downsize' });
    expect(base64.extras).toEqual({ cache_control: { type: 'ephemeral' } });
    const screenshot = (prompt.turns[2]!.parts[0] as PromptToolResultPart).content![1] as PromptImagePart;
    expect(screenshot.image.original.bytes.toString()).toBe(`original ${PATHS.file}`);
    expect(screenshot.source).toEqual({ type: 'file', file_id: 'file_011' });
  });

  it('types tool calls and tool results', () => {
    const { prompt } = normaliseMessagesRequest(agentBody(), allPrepared());
    expect(prompt.turns[1]).toEqual({
      role: 'assistant',
      shorthand: false,
      parts: [
        { type: 'other', block: { type: 'thinking', thinking: 'look first', signature: 's' } },
        { type: 'tool-call', id: 'toolu_1', name: 'screenshot', input: { display: 1 } },
        { type: 'tool-call', id: 'toolu_2', name: 'screenshot', input: {} },
      ],
    });
    const [first, second] = prompt.turns[2]!.parts as PromptToolResultPart[];
    expect(first).toMatchObject({ type: 'tool-result', toolUseId: 'toolu_1', shorthand: false });
    expect(first!.content!.map((part) => part.type)).toEqual(['text', 'image']);
    expect(first).not.toHaveProperty('isError');
    expect(second).toMatchObject({ toolUseId: 'toolu_2', isError: false });
  });

  it('keeps string content as one shorthand text part, and a tool result without content as none', () => {
    const { prompt } = normaliseMessagesRequest(
      {
        model: 'm',
        max_tokens: 1,
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'n', input: null }] },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 't1', content: 'plain' },
              { type: 'tool_result', tool_use_id: 't2' },
            ],
          },
        ],
      },
      [],
    );
    expect(prompt.turns[0]).toEqual({ role: 'user', shorthand: true, parts: [{ type: 'text', text: 'Hi' }] });
    expect(prompt.turns[2]!.parts).toEqual([
      { type: 'tool-result', toolUseId: 't1', shorthand: true, content: [{ type: 'text', text: 'plain' }] },
      { type: 'tool-result', toolUseId: 't2', shorthand: false },
    ]);
  });

  it('takes the system prompt as a string or as text blocks, and omits an absent one', () => {
    const body = (system?: MessagesRequest['system']): MessagesRequest => ({
      model: 'm',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'Hi' }],
      ...(system === undefined ? {} : { system }),
    });
    expect(normaliseMessagesRequest(body('Be brief.'), []).prompt.system).toEqual({
      shorthand: true,
      parts: [{ type: 'text', text: 'Be brief.' }],
    });
    const blocks = [
      { type: 'text' as const, text: 'One.' },
      { type: 'text' as const, text: 'Two.', cache_control: { type: 'ephemeral' } },
    ];
    expect(normaliseMessagesRequest(body(blocks), []).prompt.system).toEqual({
      shorthand: false,
      parts: [
        { type: 'text', text: 'One.' },
        { type: 'text', text: 'Two.', extras: { cache_control: { type: 'ephemeral' } } },
      ],
    });
    expect(normaliseMessagesRequest(body(), []).prompt).not.toHaveProperty('system');
  });

  it('reads the generation settings, leaving what it does not type among the extras', () => {
    const { settings } = normaliseMessagesRequest(agentBody(), allPrepared());
    expect(settings).toEqual({
      maxTokens: 512,
      temperature: 0.3,
      stopSequences: ['DONE'],
      tools: [{ name: 'screenshot', input_schema: { type: 'object' } }],
      toolChoice: { type: 'auto' },
      extras: { thinking: { type: 'enabled', budget_tokens: 2048 } },
    });
    const odd = normaliseMessagesRequest(
      {
        model: 'm',
        max_tokens: 1,
        messages: [],
        top_k: '5' as unknown as number,
        metadata: { user_id: 'u' },
      },
      [],
    ).settings;
    expect(odd).toEqual({ maxTokens: 1, metadata: { user_id: 'u' }, extras: { top_k: '5' } });
  });

  it('keeps a block it does not interpret whole, including a tool_use without an id', () => {
    const document = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } };
    const idless = { type: 'tool_use', name: 'n', input: {} };
    const { prompt } = normaliseMessagesRequest(
      {
        model: 'm',
        max_tokens: 1,
        messages: [
          { role: 'user', content: [document] },
          { role: 'assistant', content: [idless] },
        ],
      },
      [],
    );
    expect(prompt.turns[0]!.parts).toEqual([{ type: 'other', block: document }]);
    expect(prompt.turns[1]!.parts[0]).toEqual({ type: 'other', block: idless });
  });

  it('finds the images of a copied body (they are matched by path, not by object identity)', () => {
    const body = agentBody();
    const fromOriginal = normaliseMessagesRequest(body, allPrepared());
    const fromCopy = normaliseMessagesRequest(structuredClone(body), allPrepared());
    const fromJson = normaliseMessagesRequest(
      JSON.parse(JSON.stringify(body)) as MessagesRequest,
      allPrepared(),
    );
    for (const copy of [fromCopy, fromJson]) {
      expect(listPromptImages(copy.prompt).map((part) => part.image.path)).toEqual(
        listPromptImages(fromOriginal.prompt).map((part) => part.image.path),
      );
      expect(copy).toEqual(fromOriginal);
    }
  });

  it('refuses an image block the server did not prepare: 500 api_error naming its path', () => {
    const prepared = allPrepared().filter((image) => image.path !== PATHS.file);
    const attempt = () => normaliseMessagesRequest(agentBody(), prepared);
    expect(attempt).toThrow(ApiError);
    expect(attempt).toThrow(
      expect.objectContaining({
        status: 500,
        type: 'api_error',
        message: `Internal error: the image at ${PATHS.file} was not prepared`,
      }),
    );
  });

  it('does not change the body', () => {
    const body = agentBody();
    const snapshot = structuredClone(body);
    normaliseMessagesRequest(body, allPrepared());
    expect(body).toEqual(snapshot);
  });
});
