// Backend settings written in the configuration file reach the backends: extra headers and the
// anthropic-version header arrive at loopback upstreams speaking the real protocols, and the built-in
// engine takes its own settings (OCR switched off) from `backends.local`.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solid } from '../support/images.js';
import { startAnthropicUpstream, startOpenAiUpstream, type Upstream } from '../support/upstreams.js';
import { startSightline, type TestSightline } from './support/servers.js';

let claude: Upstream;
let openai: Upstream;
let sightline: TestSightline;

beforeAll(async () => {
  [claude, openai] = await Promise.all([startAnthropicUpstream(), startOpenAiUpstream()]);
  sightline = await startSightline(`
backends:
  claude:
    type: anthropic
    base_url: "${claude.url}"
    api_key: upstream-key
    anthropic_version: "2024-02-29"
    headers: { anthropic-beta: "files-api-2025-04-14", X-Gateway-Team: vision }
  ollama: { type: openai-compatible, base_url: "${openai.url}/v1", headers: { x-org: acme } }
  local: { type: local, ocr: false, queue_size: 2 }
models: [{ id: gemma-vision, backend: ollama, upstream_model: "gemma3:4b" }, { id: "claude-opus-*", backend: claude }]
`);
});

afterAll(() => Promise.all([sightline?.stop(), claude?.close(), openai?.close()]));

/** One question through the official SDK; the answer's text. */
const ask = async (model: string, content: Anthropic.MessageParam['content']): Promise<string> => {
  const client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-test', maxRetries: 0 });
  const message = await client.messages.create({
    model,
    max_tokens: 300,
    messages: [{ role: 'user', content }],
  });
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
};

describe('backend settings from the configuration file', () => {
  it('anthropic: anthropic_version and headers are sent upstream (headers by any case)', async () => {
    await ask('claude-opus-4-7', 'Hello?');
    const headers = claude.requests.at(-1)?.headers ?? {};
    expect(headers['anthropic-version']).toBe('2024-02-29');
    expect(headers['anthropic-beta']).toBe('files-api-2025-04-14');
    expect(headers['x-gateway-team']).toBe('vision');
    expect(headers['x-api-key']).toBe('upstream-key');
  });

  it('openai-compatible: headers are sent upstream', async () => {
    await ask('gemma-vision', 'Hello?');
    const request = openai.requests.at(-1);
    expect(request?.headers['x-org']).toBe('acme');
    expect(request?.body.model).toBe('gemma3:4b');
  });

  it('local: `ocr: false` reaches the built-in engine', async () => {
    const png = await solid(64, 48, [200, 200, 200]).png().toBuffer();
    const text = await ask('claude-haiku-4-5', [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') } },
      { type: 'text', text: 'What does it say?' },
    ]);
    expect(text).toContain('Text in Image 1: not read (OCR is switched off).');
  });
});
