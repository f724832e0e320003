// The real `sightline serve` process: graceful shutdown lets an in-flight stream finish; listening
// beyond loopback without keys prints a loud warning; logs are structured JSON.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/images.js';
import { askAboutImage } from '../support/messages.js';
import { spawnServer, waitForExit } from '../support/process.js';
import { type LoopbackServer, openAiChunk, startLoopbackServer } from '../support/upstreams.js';

let slowUpstream: LoopbackServer;
let dataDir: string;

beforeAll(async () => {
  // an OpenAI-compatible upstream that takes ~1.5 s to stream its answer
  slowUpstream = await startLoopbackServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        sent += 1;
        const delta = sent <= 10 ? { content: `word${sent} ` } : {};
        response.write(
          openAiChunk({ choices: [{ index: 0, delta, finish_reason: sent > 10 ? 'stop' : null }] }),
        );
        if (sent > 10) {
          clearInterval(timer);
          response.end('data: [DONE]\n\n');
        }
      }, 150);
    });
  });
  dataDir = await mkdtemp(join(tmpdir(), 'sightline-serve-'));
});

afterAll(async () => {
  await slowUpstream?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('sightline serve', () => {
  it('finishes in-flight streams on SIGTERM, then exits 0', async () => {
    const config = join(dataDir, 'slow.yaml');
    await writeFile(
      config,
      `backends:\n  slow: { type: openai-compatible, base_url: "${slowUpstream.url}/v1" }\nmodels:\n  - { id: slow-model, backend: slow }\n`,
    );
    const server = await spawnServer(['--data-dir', dataDir, '--config', config]);
    const client = new Anthropic({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
    const stream = client.messages.stream({
      model: 'slow-model',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await new Promise<void>((done) => stream.once('text', () => done()));
    server.child.kill('SIGTERM');
    const final = await stream.finalMessage();
    expect(final.content).toEqual([
      {
        type: 'text',
        text: Array.from({ length: 10 }, (_, i) => `word${i + 1} `).join(''),
        citations: null,
      },
    ]);
    expect(await waitForExit(server.child)).toBe(0);
    expect(server.output()).toContain('shutting down');
  });

  it('warns loudly when listening beyond loopback with no API keys, and logs JSON lines', async () => {
    const server = await spawnServer(['--host', '0.0.0.0', '--data-dir', dataDir], {
      SIGHTLINE_LOG_LEVEL: 'info',
    });
    try {
      expect(server.output()).toContain(
        'WARNING: Sightline is listening on 0.0.0.0 with NO API keys configured',
      );
      const port = new URL(server.url.replace('0.0.0.0', '127.0.0.1')).port;
      await fetch(`http://127.0.0.1:${port}/healthz`);
      await new Promise((done) => setTimeout(done, 200));
      await fetch(`http://127.0.0.1:${port}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 5 }),
      });
      await new Promise((done) => setTimeout(done, 200));
      const jsonLines = server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      // one line per request, the 400 with its reason
      const health = jsonLines.filter((line) => line.path === '/healthz');
      expect(health).toHaveLength(1);
      expect(health[0]).toMatchObject({ level: 30, method: 'GET', status: 200 });
      const rejected = jsonLines.filter((line) => line.path === '/v1/messages');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({
        status: 400,
        error: { type: 'invalid_request_error', message: 'messages: Field required' },
      });
      // a body that did not parse as a request has no model (as in its usage record)
      expect(rejected[0]).not.toHaveProperty('model');
    } finally {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }
  });

  it('greets with the Workbench URL and logs readable lines with --log-format pretty', async () => {
    const server = await spawnServer(['--data-dir', dataDir, '--log-format', 'pretty'], {
      SIGHTLINE_LOG_LEVEL: 'info',
    });
    try {
      expect(server.output()).toContain(`Workbench   ${server.url}/`);
      expect(server.output()).toContain('built-in offline engine');
      expect(server.output()).toContain(`Data        ${dataDir}`);
      await fetch(`${server.url}/v1/models/nope`, { headers: { 'x-api-key': 'k' } });
      await new Promise((done) => setTimeout(done, 200));
      const line = server
        .output()
        .split('\n')
        .find((text) => text.includes('GET /v1/models/nope 404'));
      expect(line).toMatch(/^\d\d:\d\d:\d\d {2}INFO {3}GET \/v1\/models\/nope 404 {2}[\d.]+ ms {2}req_\w+/);
      expect(line).toContain('not_found_error: model: nope');
      // a streamed answer about an image: its line, and no warning of Node's on the console
      const client = new Anthropic({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
      const photo = await readFile(join(FIXTURES, 'libvips', 'sample.jpg'));
      await client.messages
        .stream({
          model: 'claude-sonnet-4-6',
          max_tokens: 40,
          messages: [askAboutImage(photo, 'image/jpeg', 'hi')],
        })
        .finalMessage();
      await new Promise((done) => setTimeout(done, 200));
      expect(server.output()).toMatch(/INFO {3}POST \/v1\/messages 200 /);
      expect(server.output()).not.toMatch(/Warning|\(node:\d+\)/);
    } finally {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }
  });

  it('--rules 2026-04 counts by the old rules; the banner names them', async () => {
    const server = await spawnServer(['--data-dir', dataDir, '--rules', '2026-04']);
    try {
      expect(server.output()).toContain('Images      rules 2026-04');
      const client = new Anthropic({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
      const counted = await client.messages.countTokens({
        model: 'claude-sonnet-4-6',
        messages: [{ role: 'user', content: 'hello' }],
      });
      expect((counted as unknown as { sightline: { rules: string } }).sightline.rules).toBe('2026-04');
    } finally {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }
  });

  it('exits 2 with a clear message for a bad configuration', async () => {
    const bad = join(dataDir, 'bad.yaml');
    await writeFile(bad, 'backends:\n  x: { type: magic }\n');
    await expect(spawnServer(['--data-dir', dataDir, '--config', bad])).rejects.toThrow(
      /backends\.x\.type: expected anthropic, openai-compatible or local/,
    );
  });
});
