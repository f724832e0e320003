// Usage recording and the Admin API's reports, live: calls through the official SDK with two API keys,
// then the usage and cost reports (admin key only), the Workbench's spend endpoint, /metrics, and the
// records surviving a graceful restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../../src/catalog/index.js';
import { parseConfig } from '../../src/config/index.js';
import { keyIdOf } from '../../src/ops/keys.js';
import { type RunningServer, startServer } from '../../src/server/main.js';
import { solid } from '../support/images.js';
import { closedPort } from '../support/upstreams.js';
import { invokeCli } from './support/cli.js';

const model = 'claude-sonnet-4-6';
const price = createCatalog().find(model)!;
const YAML = `
api_keys:
  - { key: sk-team-a, workspace: team-a }
  - { key: sk-team-b, workspace: team-b }
admin_keys:
  - { key: sk-admin-ops, name: ops }
metrics: { enabled: true }
`;

let dataDir: string;
let server: RunningServer;
const start = async () => {
  server = await startServer(parseConfig(YAML, {}, { host: '127.0.0.1', port: 0, dataDir }), {
    logger: false,
  });
};
const admin = (path: string, key = 'sk-admin-ops') =>
  fetch(`${server.url}${path}`, { headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' } });

let png: string;
const startedAt = new Date();
const day = `${startedAt.toISOString().slice(0, 10)}T00:00:00Z`;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sightline-usage-'));
  png = (await solid(640, 480, [10, 120, 200]).png().toBuffer()).toString('base64');
  await start();
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const image = () =>
  ({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }) as const;

describe('usage recording and the Admin API reports', () => {
  const expected = { inputA: 0, outputA: 0, inputB: 0, outputB: 0 };

  it('records every messages and count_tokens call, billed by the catalog prices', async () => {
    const a = new Anthropic({ baseURL: server.url, apiKey: 'sk-team-a', maxRetries: 0 });
    const b = new Anthropic({ baseURL: server.url, apiKey: 'sk-team-b', maxRetries: 0 });
    const one = await a.messages.create({
      model,
      max_tokens: 200,
      messages: [{ role: 'user', content: [image(), { type: 'text', text: 'What colour is this?' }] }],
    });
    const stream = b.messages.stream({
      model,
      max_tokens: 200,
      messages: [{ role: 'user', content: [image(), image(), { type: 'text', text: 'Compare these.' }] }],
    });
    const two = await stream.finalMessage();
    await a.messages.countTokens({ model, messages: [{ role: 'user', content: [image()] }] }); // not billed
    await expect(
      a.messages.create({
        model: 'no-such-model',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toThrow(); // recorded, not billed
    expected.inputA = one.usage.input_tokens;
    expected.outputA = one.usage.output_tokens;
    expected.inputB = two.usage.input_tokens;
    expected.outputB = two.usage.output_tokens;

    const response = await admin(
      `/v1/organizations/usage_report/messages?starting_at=${day}&group_by[]=api_key_id&group_by[]=model&group_by[]=workspace_id`,
    );
    expect(response.status).toBe(200);
    const report = await response.json();
    expect(report.has_more).toBe(false);
    expect(report.data).toHaveLength(1);
    expect(report.data[0].starting_at).toBe(day);
    const results = report.data[0].results;
    expect(results).toHaveLength(2);
    const forA = results.find((result: { api_key_id: string }) => result.api_key_id === keyIdOf('sk-team-a'));
    expect(forA).toMatchObject({
      uncached_input_tokens: expected.inputA,
      output_tokens: expected.outputA,
      cache_read_input_tokens: 0,
      model,
      workspace_id: 'team-a',
      images: 1,
      image_tokens: expect.any(Number),
    });
    expect(forA.image_tokens).toBeGreaterThan(0);
    const forB = results.find((result: { api_key_id: string }) => result.api_key_id === keyIdOf('sk-team-b'));
    expect(forB).toMatchObject({ uncached_input_tokens: expected.inputB, images: 2, workspace_id: 'team-b' });
    expect(JSON.stringify(report)).not.toContain('sk-team');
  });

  it('answers the cost report in cents as decimal strings, by description', async () => {
    const response = await admin(`/v1/organizations/cost_report?starting_at=${day}&group_by[]=description`);
    expect(response.status).toBe(200);
    const report = await response.json();
    const results = report.data[0].results as Array<{ amount: string; token_type: string; model: string }>;
    const input = results.find((result) => result.token_type === 'uncached_input_tokens')!;
    const output = results.find((result) => result.token_type === 'output_tokens')!;
    const cents = (tokens: number, perMillion: number) => (tokens * perMillion) / 1e4;
    expect(Number(input.amount)).toBeCloseTo(
      cents(expected.inputA + expected.inputB, price.inputPricePerMillion),
      6,
    );
    expect(Number(output.amount)).toBeCloseTo(
      cents(expected.outputA + expected.outputB, price.outputPricePerMillion),
      6,
    );
    expect(input).toMatchObject({
      currency: 'USD',
      cost_type: 'tokens',
      model,
      description: expect.stringContaining('Input'),
    });
    const total = await (await admin(`/v1/organizations/cost_report?starting_at=${day}`)).json();
    expect(total.data[0].results).toHaveLength(1);
    expect(Number(total.data[0].results[0].amount)).toBeCloseTo(
      Number(input.amount) + Number(output.amount),
      6,
    );
  });

  it('serves the reports to admin keys only, and checks their parameters', async () => {
    const asApiKey = await admin(`/v1/organizations/usage_report/messages?starting_at=${day}`, 'sk-team-a');
    expect(asApiKey.status).toBe(403);
    expect((await asApiKey.json()).error.type).toBe('permission_error');
    expect((await admin(`/v1/organizations/cost_report?starting_at=${day}`, 'sk-wrong')).status).toBe(401);
    const bearer = await fetch(`${server.url}/v1/organizations/cost_report?starting_at=${day}`, {
      headers: { authorization: 'Bearer sk-admin-ops' },
    });
    expect(bearer.status).toBe(200);
    const noStart = await admin('/v1/organizations/usage_report/messages');
    expect(noStart.status).toBe(400);
    expect((await noStart.json()).error.type).toBe('invalid_request_error');
    expect((await admin(`/v1/organizations/cost_report?starting_at=${day}&bucket_width=1h`)).status).toBe(
      400,
    );
    expect(
      (await admin(`/v1/organizations/usage_report/messages?starting_at=${day}&group_by[]=colour`)).status,
    ).toBe(400);
    // an API key cannot use an admin key's place, nor an admin key the Messages API
    const messages = await fetch(`${server.url}/v1/models`, { headers: { 'x-api-key': 'sk-admin-ops' } });
    expect(messages.status).toBe(401);
  });

  it('pages hour buckets with next_page', async () => {
    const first = await (
      await admin(`/v1/organizations/usage_report/messages?starting_at=${day}&bucket_width=1h&limit=2`)
    ).json();
    expect(first.data).toHaveLength(2);
    expect(first.data[1].starting_at).toBe(
      new Date(Date.parse(day) + 3_600_000).toISOString().replace('.000Z', 'Z'),
    );
    const hour = startedAt.getUTCHours();
    if (hour >= 2) {
      expect(first.has_more).toBe(true);
      const second = await (
        await admin(
          `/v1/organizations/usage_report/messages?starting_at=${day}&bucket_width=1h&limit=2&page=${first.next_page}`,
        )
      ).json();
      expect(second.data[0].starting_at).toBe(
        new Date(Date.parse(day) + 7_200_000).toISOString().replace('.000Z', 'Z'),
      );
    }
  });

  it("tells the Workbench its workspace's spend today", async () => {
    const response = await fetch(`${server.url}/v1/sightline/spend`, {
      headers: { 'x-api-key': 'sk-team-a' },
    });
    const spend = await response.json();
    expect(spend).toMatchObject({
      workspace_id: 'team-a',
      requests: 1,
      images: 1,
      input_tokens: expected.inputA,
    });
    expect(spend.amount_usd).toBeCloseTo(
      (expected.inputA * price.inputPricePerMillion + expected.outputA * price.outputPricePerMillion) / 1e6,
      6,
    );
  });

  it('prints usage by day, model and key with `sightline usage` (table and --json)', async () => {
    const env = { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_ADMIN_KEY: 'sk-admin-ops' };
    const json = await invokeCli(['usage', '--days', '2', '--json'], { env, cwd: dataDir });
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout);
    const today = day.slice(0, 10);
    expect(rows).toContainEqual({
      day: today,
      model,
      api_key_id: keyIdOf('sk-team-a'),
      input_tokens: expected.inputA,
      output_tokens: expected.outputA,
      images: 1,
      image_tokens: expect.any(Number),
    });
    const table = await invokeCli(['usage', '--by', 'day,model'], { env, cwd: dataDir });
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^DAY\s+MODEL\s+INPUT\s+OUTPUT\s+IMAGES\s+IMAGE TOKENS\s+COST \(USD\)$/);
    const cost =
      (expected.inputA + expected.inputB) * price.inputPricePerMillion +
      (expected.outputA + expected.outputB) * price.outputPricePerMillion;
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^${today}\\s+${model}\\s+.*\\s${(cost / 1e6).toFixed(4)}$`)),
    );
    const refused = await invokeCli(['usage'], {
      env: { ...env, ANTHROPIC_ADMIN_KEY: 'sk-team-a' },
      cwd: dataDir,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('admin');
    const missing = await invokeCli(['usage'], { env: { ANTHROPIC_BASE_URL: server.url }, cwd: dataDir });
    expect(missing.code).toBe(2);
  });

  it('serves Prometheus metrics to admin keys', async () => {
    expect((await admin('/metrics', 'sk-team-a')).status).toBe(403);
    const text = await (await admin('/metrics')).text();
    expect(text).toMatch(
      new RegExp(`sightline_requests_total\\{route="/v1/messages",status="200",model="${model}"\\} 2`),
    );
    expect(text).toMatch(/sightline_images_total\{model="claude-sonnet-4-6"\} 4/);
    expect(text).toContain('sightline_request_duration_seconds_bucket');
    expect(text).toContain('sightline_open_streams 0');
    expect(text).toContain('sightline_ocr_queue 0');
    expect(text).toMatch(/sightline_view_cache_misses_total [1-9]/);
  });

  it('serves /metrics on its own port without a key when metrics.port is set', async () => {
    const port = await closedPort();
    const separate = await startServer(
      parseConfig(`metrics: { enabled: true, port: ${port} }`, {}, { host: '127.0.0.1', port: 0, dataDir }),
      { logger: false },
    );
    try {
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scraped.status).toBe(200);
      expect(scraped.headers.get('content-type')).toContain('text/plain');
      expect(await scraped.text()).toContain('# TYPE sightline_requests_total counter');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      // not on the main port
      expect((await fetch(`${separate.url}/metrics`, { headers: { 'x-api-key': 'any' } })).status).toBe(404);
    } finally {
      await separate.close();
    }
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow(); // closed with the server
  });

  it('keeps every record across a graceful restart', async () => {
    const a = new Anthropic({ baseURL: server.url, apiKey: 'sk-team-a', maxRetries: 0 });
    await a.messages.create({ model, max_tokens: 50, messages: [{ role: 'user', content: 'Hello' }] });
    await server.close(); // the record is still queued: written on close
    await start();
    const report = await (
      await admin(`/v1/organizations/usage_report/messages?starting_at=${day}&group_by[]=workspace_id`)
    ).json();
    const teamA = report.data[0].results.find(
      (result: { workspace_id: string }) => result.workspace_id === 'team-a',
    );
    expect(teamA.images).toBe(1);
    expect(teamA.uncached_input_tokens).toBeGreaterThan(expected.inputA);
  });
});
