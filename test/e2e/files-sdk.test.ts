// The Files API through the official SDK, beta and GA surfaces: upload, list (both pagination styles,
// auto-paginated over 250 files), metadata, download, delete; workspace isolation; stored images used
// in messages with every backend.
import { join } from 'node:path';
import Anthropic, { type APIError, BadRequestError, NotFoundError, toFile } from '@anthropic-ai/sdk';
// SDK 0.x pages by before_id/after_id with has_more; 1.x moved the beta list to cursor pages.
import AnthropicV0 from 'anthropic-sdk-v0';
import Database from 'libsql';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, halves, solid } from '../support/images.js';
import { startAnthropicUpstream, startOpenAiUpstream, type Upstream } from '../support/upstreams.js';
import { startSightline, type TestSightline } from './support/servers.js';

let sightline: TestSightline;
let alice: Anthropic;
let bob: Anthropic;
let openai: Upstream;
let claude: Upstream;
let wide: Buffer;
const { FileExpiredError, FileNotDownloadableError } = Anthropic;
const toText = (text: string, name: string) => toFile(Buffer.from(text), name);

beforeAll(async () => {
  [openai, claude] = await Promise.all([startOpenAiUpstream(), startAnthropicUpstream()]);
  wide = await halves(1920, 1080, [255, 0, 0], [0, 0, 255]);
  sightline = await startSightline(`
files: { downloadable: true }
backends:
  vllm: { type: openai-compatible, base_url: "${openai.url}/v1" }
  claude: { type: anthropic, base_url: "${claude.url}", api_key: up }
models:
  - { id: llava, backend: vllm, profile: { max_long_edge: 1568, max_tokens: 1568 } }
  - { id: claude-opus-4-6, backend: claude }
`);
  alice = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-alice', maxRetries: 0 });
  bob = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-bob', maxRetries: 0 });
});

afterAll(async () => {
  await sightline?.stop();
  await Promise.all([openai?.close(), claude?.close()]);
});

describe('Files API through client.beta.files', () => {
  it('upload, list, retrieveMetadata, download, delete', async () => {
    const bytes = fixture('libvips/sample.png');
    const uploaded = await alice.beta.files.upload({ file: await toFile(bytes, 'photo.png') });
    expect(uploaded).toMatchObject({
      type: 'file',
      filename: 'photo.png',
      mime_type: 'image/png',
      size_bytes: bytes.length,
      downloadable: true,
    });
    expect(uploaded.id).toMatch(/^file_/);
    expect(new Date(uploaded.created_at).toISOString()).toBe(uploaded.created_at);
    const listed = await alice.beta.files.list();
    expect(listed.data.map((file) => file.id)).toContain(uploaded.id);
    expect(await alice.beta.files.retrieveMetadata(uploaded.id)).toEqual(uploaded);
    const download = await alice.beta.files.download(uploaded.id);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    expect(await alice.beta.files.delete(uploaded.id)).toEqual({ id: uploaded.id, type: 'file_deleted' });
    await expect(alice.beta.files.retrieveMetadata(uploaded.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('mime_type comes from the bytes, not from the name or the part header', async () => {
    const jpegNamedPng = await alice.beta.files.upload({
      file: await toFile(fixture('libvips/sample.jpg'), 'lies.png', { type: 'image/png' }),
    });
    expect(jpegNamedPng.mime_type).toBe('image/jpeg');
    const text = await alice.beta.files.upload({
      file: await toFile(Buffer.from('hello, world\n'), 'notes.bin', { type: 'application/octet-stream' }),
    });
    expect(text.mime_type).toBe('text/plain');
  });
});

describe('Files API through client.files (GA)', () => {
  it('upload with expires_in_seconds, list, metadata, download, delete', async () => {
    const bytes = await solid(64, 64, [1, 2, 3]).webp().toBuffer();
    const uploaded = await alice.files.upload({
      file: await toFile(bytes, 'tiny.webp'),
      expires_in_seconds: 3600,
    });
    expect(uploaded.mime_type).toBe('image/webp');
    const expiresAt = Date.parse(uploaded.expires_at ?? '');
    expect(expiresAt - Date.parse(uploaded.created_at)).toBe(3600 * 1000);
    expect((await alice.files.retrieveMetadata(uploaded.id)).id).toBe(uploaded.id);
    expect(Buffer.from(await (await alice.files.download(uploaded.id)).arrayBuffer()).equals(bytes)).toBe(
      true,
    );
    await alice.files.delete(uploaded.id);
    await expect(alice.files.retrieveMetadata(uploaded.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists just the files asked for with the ids[] filter, and refuses repeated paging parameters', async () => {
    const [a, b] = await Promise.all([
      alice.files.upload({ file: await toText('a', 'a.txt') }),
      alice.files.upload({ file: await toText('b', 'b.txt') }),
    ]);
    const page = await alice.files.list({ ids: [a.id, b.id, 'file_unknown'] });
    expect(page.data.map((file) => file.id).sort()).toEqual([a.id, b.id].sort());
    expect(page.next_page).toBeNull();
    const mallory = (await bob.files.list({ ids: [a.id] })).data;
    expect(mallory).toEqual([]);
    const repeated = await fetch(`${sightline.url}/v1/files?after_id=${a.id}&after_id=${b.id}`, {
      headers: { 'x-api-key': 'sk-alice' },
    });
    expect(repeated.status).toBe(400);
  });

  it('refuses an expiry outside 3600–7776000 seconds', async () => {
    await expect(
      alice.files.upload({ file: await toFile(Buffer.from('x'), 'x.txt'), expires_in_seconds: 10 }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('listing 250 files with both pagination styles', () => {
  it('auto-pagination walks every file once, newest first', async () => {
    const carol = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-carol', maxRetries: 0 });
    const ids: string[] = [];
    for (let batch = 0; batch < 25; batch += 1) {
      const uploads = await Promise.all(
        Array.from({ length: 10 }, async (_, index) =>
          carol.beta.files.upload({
            file: await toText(`file ${batch * 10 + index}\n`, `f${batch * 10 + index}.txt`),
          }),
        ),
      );
      ids.push(...uploads.map((file) => file.id));
    }
    const byPage: string[] = [];
    for await (const file of carol.beta.files.list({ limit: 100 })) byPage.push(file.id);
    expect(byPage).toHaveLength(250);
    expect(new Set(byPage)).toEqual(new Set(ids));
    const byCursor: string[] = [];
    for await (const file of carol.files.list({ limit: 100 })) byCursor.push(file.id);
    expect(byCursor).toEqual(byPage);
    // newest first: the last upload comes first
    const createdAt = await Promise.all(byPage.slice(0, 3).map((id) => carol.files.retrieveMetadata(id)));
    expect(createdAt.map((file) => file.created_at)).toEqual(
      [...createdAt.map((file) => file.created_at)].sort().reverse(),
    );
    // a before_id walk (SDK 0.x paging) goes back up to the newest
    const carolV0 = new AnthropicV0({ apiKey: carol.apiKey, baseURL: carol.baseURL });
    const page = await carolV0.beta.files.list({ limit: 10, before_id: byPage[25]! });
    expect(page.data.map((file) => file.id)).toEqual(byPage.slice(15, 25));
    expect(page.has_more).toBe(true);
  }, 60_000);
});

describe('a file belongs to the key that uploaded it', () => {
  it('another key gets 404 everywhere, including as an image source', async () => {
    const mine = await alice.beta.files.upload({
      file: await toFile(fixture('libvips/sample.png'), 'mine.png'),
    });
    await expect(bob.beta.files.retrieveMetadata(mine.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.beta.files.download(mine.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.beta.files.delete(mine.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await bob.beta.files.list()).data.map((file) => file.id)).not.toContain(mine.id);
    await expect(
      bob.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 10,
        messages: [
          { role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: mine.id } }] },
        ],
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await alice.beta.files.retrieveMetadata(mine.id)).id).toBe(mine.id);
  });
});

describe('stored images in messages, with every backend', () => {
  let fileId: string;
  beforeAll(async () => {
    fileId = (await alice.beta.files.upload({ file: await toFile(wide, 'wide.png') })).id;
  });
  const imageMessage = (model: string) => ({
    model,
    max_tokens: 50,
    messages: [
      {
        role: 'user' as const,
        content: [
          { type: 'image' as const, source: { type: 'file' as const, file_id: fileId } },
          { type: 'text' as const, text: 'What is this?' },
        ],
      },
    ],
  });

  it('the built-in engine measures the stored image (beta surface, file source)', async () => {
    const message = await alice.beta.messages.create({
      ...imageMessage('claude-sonnet-4-6'),
      betas: ['files-api-2025-04-14'],
    });
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(text).toContain('original 1920×1080');
    expect(text).toContain('Model view: 1456×819');
  });

  it('an openai-compatible backend receives the model view as a data URI', async () => {
    await alice.messages.create(imageMessage('llava'));
    const parts = (
      openai.requests.at(-1)!.body.messages as Array<{
        content: Array<{ type: string; image_url?: { url: string } }>;
      }>
    )[0]!.content;
    const image = parts.find((part) => part.type === 'image_url')!;
    const view = await sharp(Buffer.from(image.image_url!.url.split(',')[1]!, 'base64')).metadata();
    expect([view.width, view.height]).toEqual([1456, 840]);
  });

  it('an anthropic backend receives base64, never Sightline file ids', async () => {
    await alice.messages.create(imageMessage('claude-opus-4-6'));
    const source = (
      claude.requests.at(-1)!.body.messages as Array<{ content: Array<{ source?: Record<string, string> }> }>
    )[0]!.content[0]!.source!;
    expect(source.type).toBe('base64');
    const view = await sharp(Buffer.from(source.data!, 'base64')).metadata();
    expect([view.width, view.height]).toEqual([1456, 819]); // the unpadded view: Claude pads on its side
  });

  it('count_tokens counts the stored image', async () => {
    const counted = await alice.messages.countTokens({
      model: 'claude-sonnet-4-6',
      messages: imageMessage('x').messages,
    });
    expect(counted.input_tokens).toBeGreaterThan(1560);
  });

  it('a stored file that is not an image is refused in an image block', async () => {
    const text = await alice.beta.files.upload({ file: await toFile(Buffer.from('plain text'), 'a.txt') });
    await expect(
      alice.messages.create({
        ...imageMessage('claude-sonnet-4-6'),
        messages: [
          { role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: text.id } }] },
        ],
      }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('upload limits', () => {
  it('an upload over the limit is 413 request_too_large, and nothing of it is stored', async () => {
    const small = await startSightline('files: { max_bytes: 100000 }');
    try {
      const client = new Anthropic({ baseURL: small.url, apiKey: 'k', maxRetries: 0 });
      const error = await client.beta.files
        .upload({ file: await toFile(Buffer.alloc(150_000, 7), 'big.bin') })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 413, type: 'request_too_large' });
      expect((await client.beta.files.list()).data).toEqual([]);
      const fits = await client.beta.files.upload({
        file: await toFile(Buffer.alloc(99_000, 7), 'fits.bin'),
      });
      expect(fits.size_bytes).toBe(99_000);
    } finally {
      await small.stop();
    }
  });

  it('an upload without the file field is 400', async () => {
    const form = new FormData();
    form.append('purpose', 'x');
    const response = await fetch(`${sightline.url}/v1/files`, {
      method: 'POST',
      body: form,
      headers: { 'x-api-key': 'k' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: 'file: Field required' },
    });
  });
});

describe('downloads are off by default, as in the API', () => {
  it('400 file_not_downloadable: FileNotDownloadableError', async () => {
    const locked = await startSightline();
    try {
      const client = new Anthropic({ baseURL: locked.url, apiKey: 'k', maxRetries: 0 });
      const file = await client.beta.files.upload({ file: await toFile(Buffer.from('x'), 'x.txt') });
      expect(file.downloadable).toBe(false);
      const error = await client.beta.files.download(file.id).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FileNotDownloadableError);
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error).toMatchObject({ status: 400, errorCode: 'file_not_downloadable' });
      expect((error as APIError).headers?.get('x-should-retry')).toBe('false');
    } finally {
      await locked.stop();
    }
  });
});

describe('an expired file', () => {
  it('404 file_expired: FileExpiredError on download, a plain 404 for its metadata', async () => {
    const file = await alice.beta.files.upload({
      file: await toFile(Buffer.from('soon gone'), 'gone.txt'),
      expires_in_seconds: 3600,
    });
    // an hour later, as far as the store can tell (the collector has not purged it yet)
    const database = new Database(join(sightline.dataDir, 'sightline.db'));
    database.prepare('UPDATE files SET expires_at = ? WHERE id = ?').run('2026-01-01T00:00:00.000Z', file.id);
    database.close();
    const error = await alice.beta.files.download(file.id).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileExpiredError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, errorCode: 'file_expired' });
    await expect(alice.beta.files.retrieveMetadata(file.id)).rejects.toBeInstanceOf(NotFoundError);
    // another workspace learns nothing: a plain 404
    const other = await bob.beta.files.download(file.id).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(other).toBeInstanceOf(NotFoundError);
    expect(other).not.toBeInstanceOf(FileExpiredError);
  });
});
