import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/index.js';
import { costReport, formatCents, usageReport } from './reports.js';
import type { UsageAggregate, UsageQuery, UsageStore } from './types.js';

const row = (overrides: Partial<UsageAggregate>): UsageAggregate => ({
  bucket: 0,
  model: 'claude-sonnet-4-6',
  apiKeyId: 'apikey_a',
  workspace: 'w1',
  requests: 1,
  inputTokens: 100,
  outputTokens: 10,
  images: 1,
  imageTokens: 50,
  inputCostUsd: 0.0003,
  outputCostUsd: 0.00015,
  ...overrides,
});

function store(rows: UsageAggregate[]) {
  const queries: UsageQuery[] = [];
  const usage: UsageStore = {
    recordUsage: async () => undefined,
    queryUsage: async (query) => {
      queries.push(query);
      return rows;
    },
  };
  return { usage, queries };
}

const NOW = Date.parse('2026-12-02T10:30:00Z');

describe('usage and cost reports', () => {
  it('formats USD as cents in a decimal string', () => {
    expect(formatCents(1.23)).toBe('123');
    expect(formatCents(0.0123456)).toBe('1.23456');
    expect(formatCents(0)).toBe('0');
    expect(formatCents(0.00000001)).toBe('0.000001');
  });

  it('lays out day buckets from starting_at to now, and merges what is not grouped', async () => {
    const { usage, queries } = store([row({}), row({ apiKeyId: 'apikey_b', model: 'claude-haiku-4-5' })]);
    const report = await usageReport(usage, { starting_at: '2026-11-30T05:00:00Z' }, NOW);
    expect(queries[0]).toMatchObject({ startMs: Date.parse('2026-11-30T00:00:00Z'), widthMs: 86_400_000 });
    expect(report.data.map((bucket) => bucket.starting_at)).toEqual([
      '2026-11-30T00:00:00Z',
      '2026-12-01T00:00:00Z',
      '2026-12-02T00:00:00Z',
    ]);
    expect(report.data[0]?.results).toEqual([
      expect.objectContaining({
        uncached_input_tokens: 200,
        output_tokens: 20,
        images: 2,
        image_tokens: 100,
        model: null,
        api_key_id: null,
      }),
    ]);
    expect(report.data[1]?.results).toEqual([]);
    expect(report).toMatchObject({ has_more: false, next_page: null });
  });

  it('groups by model and key, filters, and pages', async () => {
    const { usage, queries } = store([row({}), row({ apiKeyId: 'apikey_b' })]);
    const first = await usageReport(
      usage,
      {
        starting_at: '2026-12-02T00:00:00Z',
        bucket_width: '1h',
        limit: '2',
        'group_by[]': ['model', 'api_key_id'],
        'models[]': 'claude-sonnet-4-6',
      },
      NOW,
    );
    expect(queries[0]?.models).toEqual(['claude-sonnet-4-6']);
    expect(first.data).toHaveLength(2);
    expect(first.data[0]?.results.map((result) => result.api_key_id)).toEqual(['apikey_a', 'apikey_b']);
    expect(first.has_more).toBe(true);
    const second = await usageReport(
      usage,
      {
        starting_at: '2026-12-02T00:00:00Z',
        bucket_width: '1h',
        limit: '2',
        page: first.next_page as string,
      },
      NOW,
    );
    expect(second.data[0]?.starting_at).toBe('2026-12-02T02:00:00Z');
  });

  it('refuses bad parameters with invalid_request_error', async () => {
    const { usage } = store([]);
    for (const query of [
      {},
      { starting_at: 'yesterday' },
      { starting_at: '2026-12-01T00:00:00Z', bucket_width: '2d' },
      { starting_at: '2026-12-01T00:00:00Z', limit: '32' },
      { starting_at: '2026-12-01T00:00:00Z', 'group_by[]': 'colour' },
      { starting_at: '2026-12-01T00:00:00Z', ending_at: '2026-11-01T00:00:00Z' },
      { starting_at: '2026-12-01T00:00:00Z', page: 'nonsense' },
    ]) {
      const error = await usageReport(usage, query, NOW).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(query)).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
    }
    await expect(
      costReport(usage, { starting_at: '2026-12-01T00:00:00Z', bucket_width: '1h' }, undefined, NOW),
    ).rejects.toThrow(/bucket_width/);
  });

  it('splits cost by description into input and output token lines', async () => {
    const { usage } = store([row({}), row({ workspace: 'w2' })]);
    const report = await costReport(
      usage,
      { starting_at: '2026-12-02T00:00:00Z', 'group_by[]': ['description', 'workspace_id'] },
      () => 'Claude Sonnet 4.6',
      NOW,
    );
    expect(report.data[0]?.results).toEqual([
      expect.objectContaining({
        workspace_id: 'w1',
        token_type: 'uncached_input_tokens',
        amount: '0.03',
        description: 'Claude Sonnet 4.6 Usage - Input Tokens',
      }),
      expect.objectContaining({ workspace_id: 'w1', token_type: 'output_tokens', amount: '0.015' }),
      expect.objectContaining({ workspace_id: 'w2', token_type: 'uncached_input_tokens' }),
      expect.objectContaining({ workspace_id: 'w2', token_type: 'output_tokens' }),
    ]);
  });
});
