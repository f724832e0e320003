import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './index.js';

describe('operations configuration', () => {
  it('reads admin keys, limits, metrics, Redis and S3', () => {
    const config = parseConfig(
      `
admin_keys: [{ key: sk-admin, name: ops }]
limits:
  default: { requests_per_minute: 50, monthly_budget_usd: 12.5 }
  keys:
    apikey_abc: { images_per_minute: 10 }
metrics: { enabled: true, port: 9464 }
redis: { url: "redis://cache:6379", view_cache: true }
files:
  s3: { bucket: b, endpoint: "http://minio:9000", force_path_style: true, access_key_id_env: K, secret_access_key_env: S }
`,
      {},
    ).operations;
    expect(config).toEqual({
      adminKeys: [{ key: 'sk-admin', name: 'ops' }],
      limits: {
        default: { requestsPerMinute: 50, monthlyBudgetUsd: 12.5 },
        keys: { apikey_abc: { imagesPerMinute: 10 } },
      },
      metrics: { enabled: true, port: 9464 },
      redisUrl: 'redis://cache:6379',
      sharedViewCache: true,
      s3: {
        bucket: 'b',
        region: 'us-east-1',
        endpoint: 'http://minio:9000',
        forcePathStyle: true,
        prefix: '',
        accessKeyIdEnv: 'K',
        secretAccessKeyEnv: 'S',
      },
    });
    expect(parseConfig('', { SIGHTLINE_REDIS_URL: 'redis://other' }).operations.redisUrl).toBe(
      'redis://other',
    );
    expect(parseConfig('', {}).operations).toMatchObject({
      adminKeys: [],
      metrics: { enabled: false, port: null },
      s3: null,
    });
  });

  it('names the place of a mistake', () => {
    const cases: Array<[string, RegExp]> = [
      [
        'limits: { default: { requests_per_minute: 0 } }',
        /limits\.default\.requests_per_minute: expected a positive integer/,
      ],
      ['limits: { default: { tokens_per_day: 5 } }', /unknown key "limits\.default\.tokens_per_day"/],
      [
        'limits: { keys: { apikey_x: { monthly_budget_usd: -1 } } }',
        /limits\.keys\.apikey_x\.monthly_budget_usd/,
      ],
      ['limits: { per_key: {} }', /unknown key "limits\.per_key"/],
      ['admin_keys: [{ key: x }]', /admin_keys\.0\.name/],
      ['metrics: { enabled: yes-please }', /metrics\.enabled/],
      ['metrics: { port: 70000 }', /metrics\.port/],
      ['redis: { host: x }', /redis\.url/],
      ['files: { s3: { endpoint: "http://x" } }', /files\.s3\.bucket/],
    ];
    for (const [yaml, message] of cases) {
      expect(() => parseConfig(yaml, {}), yaml).toThrow(ConfigError);
      expect(() => parseConfig(yaml, {}), yaml).toThrow(message);
    }
  });
});
