// The catalog through the Models API and the Messages API (docs/rules/requests.md §1, §2): SDK 1.15's
// ModelInfo and lifecycle filter, SDK 0.120's before_id/after_id paging, retired models refused as
// the API refuses them, deprecated models answering with a warning header.
import Anthropic, { NotFoundError } from '@anthropic-ai/sdk';
import AnthropicV0 from 'anthropic-sdk-v0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog, isCallable } from '../../src/index.js';
import { startSightline, type TestSightline } from './support/servers.js';

let sightline: TestSightline;
let client: Anthropic;
const catalog = createCatalog();
const callableIds = catalog.models.filter(isCallable).map((model) => model.id);

beforeAll(async () => {
  sightline = await startSightline(`
models:
  - { id: acme-vision-2, backend: local, like: claude-opus-4-7, display_name: Acme Vision 2, created_at: 2026-11-20 }
`);
  client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-models', maxRetries: 0 });
});

afterAll(async () => {
  await sightline?.stop();
});

describe('GET /v1/models through SDK 1.15', () => {
  it('lists active and deprecated models, newest first, an operator-added model among them', async () => {
    const ids: string[] = [];
    for await (const info of client.models.list({ limit: 5 })) ids.push(info.id);
    expect(ids[0]).toBe('acme-vision-2');
    expect(ids.slice(1)).toEqual(callableIds);
    expect(ids).not.toContain('claude-sonnet-4-5-20250929');
  });

  it('lifecycle[] filters: retired models only when asked', async () => {
    const retired: string[] = [];
    for await (const info of client.models.list({ lifecycle: ['retired'] })) retired.push(info.id);
    expect(retired).toContain('claude-sonnet-4-5-20250929');
    expect(retired).toContain('claude-3-opus-20240229');
    const deprecated = await client.models.list({ lifecycle: ['deprecated'] });
    expect(deprecated.data.map((model) => model.id)).toEqual([
      'claude-mythos-preview',
      'claude-opus-4-5-20251101',
    ]);
    const everything: string[] = [];
    for await (const info of client.models.list({
      lifecycle: ['active', 'deprecated', 'retired'],
      limit: 100,
    }))
      everything.push(info.id);
    expect(everything).toHaveLength(catalog.models.length + 1);
  });

  it('a model object carries lifecycle, line, dates, limits and every capability', async () => {
    const opus = await client.models.retrieve('claude-opus-4-5');
    expect(opus).toMatchObject({
      type: 'model',
      id: 'claude-opus-4-5-20251101',
      display_name: 'Claude Opus 4.5',
      lifecycle: 'deprecated',
      line: 'opus',
      deprecated_at: '2026-11-23T00:00:00Z',
      retires_at: '2027-01-22T00:00:00Z',
      max_input_tokens: 200_000,
      max_tokens: 64_000,
    });
    expect(opus.capabilities?.image_input.supported).toBe(true);
    expect(opus.capabilities?.thinking.types.adaptive.supported).toBe(false);
    const fable = await client.models.retrieve('claude-fable-5-2');
    expect(fable.capabilities?.thinking.types.disabled.supported).toBe(false);
    expect(fable).toMatchObject({
      lifecycle: 'active',
      deprecated_at: null,
      retires_at: null,
      max_tokens: 128_000,
    });
  });

  it('a retired model is still retrievable as the record; an unknown one is 404', async () => {
    const sonnet = await client.models.retrieve('claude-sonnet-4-5');
    expect(sonnet).toMatchObject({ id: 'claude-sonnet-4-5-20250929', lifecycle: 'retired' });
    await expect(client.models.retrieve('claude-nonexistent')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a bad lifecycle value is a 400 naming it', async () => {
    const response = await fetch(`${sightline.url}/v1/models?lifecycle[]=gone`, {
      headers: { 'x-api-key': 'k' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { message: "lifecycle.0: Input should be 'active', 'deprecated' or 'retired'" },
    });
  });
});

describe('SDK 0.120 pages by before_id / after_id, unchanged', () => {
  it('walks forward and back', async () => {
    const old = new AnthropicV0({ baseURL: sightline.url, apiKey: 'sk-models', maxRetries: 0 });
    const first = await old.models.list({ limit: 3 });
    expect(first.data.map((model) => model.id)).toEqual(['acme-vision-2', ...callableIds.slice(0, 2)]);
    expect(first.has_more).toBe(true);
    const second = await old.models.list({ limit: 3, after_id: first.last_id! });
    expect(second.data.map((model) => model.id)).toEqual(callableIds.slice(2, 5));
    const back = await old.models.list({ limit: 3, before_id: second.first_id! });
    expect(back.data.map((model) => model.id)).toEqual(first.data.map((model) => model.id));
    const ids: string[] = [];
    for await (const model of old.models.list({ limit: 4 })) ids.push(model.id);
    expect(ids).toEqual(['acme-vision-2', ...callableIds]);
  });
});

describe('lifecycle at the Messages API', () => {
  const ask = (model: string) =>
    client.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'Hello' }] });

  it('a retired model is refused as the API refuses it: 404 not_found_error model: <id>', async () => {
    for (const id of ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', 'claude-3-opus-20240229']) {
      const error = await ask(id).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, id).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({
        status: 404,
        error: { error: { type: 'not_found_error', message: `model: ${id}` } },
      });
    }
    await expect(
      client.messages.countTokens({ model: 'claude-opus-4-1', messages: [{ role: 'user', content: 'Hi' }] }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a deprecated model answers normally, with a warning header', async () => {
    const { data, response } = await client.messages
      .create({ model: 'claude-opus-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'Hello' }] })
      .withResponse();
    expect(data.type).toBe('message');
    expect(response.headers.get('warning')).toBe(
      '299 sightline "claude-opus-4-5-20251101 is deprecated and retires on 2027-01-22; use claude-opus-5-5"',
    );
    const { response: current } = await ask('claude-opus-5-5').withResponse();
    expect(current.headers.get('warning')).toBeNull();
  });

  it('every id of the SDK Model union answers', async () => {
    for (const id of ['claude-opus-4-8', 'claude-sonnet-5', 'claude-haiku-5-5', 'claude-fable-5-2']) {
      const message = await ask(id);
      expect(message.model, id).toBe(id);
    }
  });
});
