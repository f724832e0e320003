// The newest third-party clients against Sightline: LangChain's ChatAnthropic (its default model,
// retired on the API, and an explicit one), the AI SDK 7 with @ai-sdk/anthropic 4 (generateText and
// streamText), and curl with the headers SDK 1.x sends.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createAnthropic } from '@ai-sdk/anthropic';
import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage } from '@langchain/core/messages';
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { halves } from '../support/images.js';
import { startSightline, type TestSightline } from './support/servers.js';

const run = promisify(execFile);
let sightline: TestSightline;
let picture: Buffer;

beforeAll(async () => {
  sightline = await startSightline();
  picture = await halves(640, 480, [255, 0, 0], [0, 0, 255]);
});

afterAll(async () => {
  await sightline?.stop();
});

describe("LangChain's ChatAnthropic (1.5.11)", () => {
  const chat = (fields: { model?: string } = {}) =>
    new ChatAnthropic({ anthropicApiUrl: sightline.url, apiKey: 'sk-langchain', maxRetries: 0, ...fields });

  it('its default model, claude-sonnet-4-5-20250929, is retired: refused as the API refuses it', async () => {
    const model = chat();
    expect(model.model).toBe('claude-sonnet-4-5-20250929');
    const error = await model.invoke('Hello').then(
      () => undefined,
      (e: unknown) => e as { status?: number; message?: string },
    );
    expect(error?.status).toBe(404);
    expect(error?.message).toContain('model: claude-sonnet-4-5-20250929');
  });

  it('an explicit model answers, with an image', async () => {
    const answer = await chat({ model: 'claude-haiku-4-5' }).invoke([
      new HumanMessage({
        content: [
          { type: 'image_url', image_url: { url: `data:image/png;base64,${picture.toString('base64')}` } },
          { type: 'text', text: 'What size is this image?' },
        ],
      }),
    ]);
    expect(typeof answer.content === 'string' ? answer.content : JSON.stringify(answer.content)).toMatch(
      /640/,
    );
    expect(
      (answer as unknown as { usage_metadata?: { input_tokens: number } }).usage_metadata?.input_tokens,
    ).toBeGreaterThan(0);
  });
});

describe('AI SDK 7 with @ai-sdk/anthropic 4', () => {
  const provider = () => createAnthropic({ baseURL: `${sightline.url}/v1`, apiKey: 'sk-ai-sdk' });
  const messages = () => [
    {
      role: 'user' as const,
      content: [
        { type: 'file' as const, data: picture, mediaType: 'image/png' },
        { type: 'text' as const, text: 'What size is this image?' },
      ],
    },
  ];

  it('generateText', async () => {
    const result = await generateText({
      model: provider()('claude-opus-4-8'),
      messages: messages(),
      maxRetries: 0,
    });
    expect(result.text).toMatch(/640/);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });

  it('streamText', async () => {
    const result = streamText({
      model: provider()('claude-sonnet-5-5'),
      messages: messages(),
      maxRetries: 0,
    });
    let text = '';
    for await (const piece of result.textStream) text += piece;
    expect(text).toMatch(/640/);
    expect((await result.usage).inputTokens).toBeGreaterThan(0);
  });
});

describe('curl with the headers SDK 1.x sends', () => {
  /** curl POST /v1/messages with one auth header and SDK 1.x's version header; `flags` go first (`-i`). */
  const curlMessages = (auth: string, body: object, flags: string[] = []) =>
    run('curl', [
      '-s',
      ...flags,
      `${sightline.url}/v1/messages`,
      '-H',
      auth,
      '-H',
      'anthropic-version: 2026-10-21',
      '-H',
      'content-type: application/json',
      '-d',
      JSON.stringify(body),
    ]);
  const hello = { model: 'claude-haiku-5-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] };

  it('a message, and the status line of a refusal', async () => {
    const { stdout } = await curlMessages('authorization: Bearer sk-curl', hello);
    expect(JSON.parse(stdout)).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-5-5',
    });
    const refused = await curlMessages('x-api-key: sk-curl', { ...hello, temperature: 0.5 }, ['-i']);
    expect(refused.stdout).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(refused.stdout.toLowerCase()).toContain('x-should-retry: false');
    expect(refused.stdout).toContain('"message":"temperature: Extra inputs are not permitted"');
  });
});
