// The configuration schema as an operator meets it: mistyped keys named with the closest valid one at any
// depth, values out of range, wrong types, every mistake reported at once, the environment still on
// top, and every backend setting reachable from the file.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './index.js';

/** Every problem `parseConfig` reports for this YAML (none: []). */
function problemsOf(yaml: string, env: Record<string, string> = {}, source?: string): readonly string[] {
  try {
    parseConfig(yaml, env, {}, source === undefined ? {} : { source });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('unknown keys', () => {
  it('names the full path and the closest valid key, at every depth', () => {
    const cases: Array<[string, string]> = [
      ['prot: 8080', 'unknown key "prot" (did you mean "port"?)'],
      ['files: { max_byte: 10 }', 'unknown key "files.max_byte" (did you mean "files.max_bytes"?)'],
      [
        'backends:\n  x: { type: openai-compatible, base_url: "http://h/v1", header: { a: b } }',
        'unknown key "backends.x.header" (did you mean "backends.x.headers"?)',
      ],
      [
        'files: { s3: { bucket: b, force_pathstyle: true } }',
        'unknown key "files.s3.force_pathstyle" (did you mean "files.s3.force_path_style"?)',
      ],
      [
        'models:\n  - { id: m, backend: local, profile: { max_long_edge: 10, max_tokens: 10, max_tokenz: 10 } }',
        'unknown key "models.0.profile.max_tokenz" (did you mean "models.0.profile.max_tokens"?)',
      ],
      [
        'limits: { keys: { apikey_x: { images_per_minit: 3 } } }',
        'unknown key "limits.keys.apikey_x.images_per_minit" (did you mean "limits.keys.apikey_x.images_per_minute"?)',
      ],
      [
        'api_keys: [{ key: k, workspace: w, repair: { image: true } }]',
        'unknown key "api_keys.0.repair.image" (did you mean "api_keys.0.repair.images"?)',
      ],
      [
        'server: { max_conections: 5 }',
        'unknown key "server.max_conections" (did you mean "server.max_connections"?)',
      ],
      ['telemetry: true', 'unknown key "telemetry"'],
    ];
    for (const [yaml, problem] of cases) expect(problemsOf(yaml), yaml).toEqual([problem]);
  });

  it('refuses a key of another backend type (platform is an anthropic setting)', () => {
    expect(
      problemsOf('backends:\n  o: { type: openai-compatible, base_url: "http://h/v1", platform: bedrock }'),
    ).toEqual(['unknown key "backends.o.platform"']);
  });

  it('names the file when it has one', () => {
    expect(problemsOf('files: { max_byte: 1 }', {}, 'config.yaml')).toEqual([
      'config.yaml: unknown key "files.max_byte" (did you mean "files.max_bytes"?)',
    ]);
  });
});

describe('values', () => {
  it('checks ranges: ports 1–65535, positive sizes and timeouts, enums', () => {
    const cases: Array<[string, string]> = [
      ['port: 70000', 'port: expected a port number (1–65535), got 70000'],
      ['port: 0', 'port: expected a port number (1–65535), got 0'],
      ['metrics: { port: 65536 }', 'metrics.port: expected a port number (1–65535), got 65536'],
      ['cache_bytes: 0', 'cache_bytes: expected a size in bytes, got 0'],
      [
        'server: { headers_timeout_ms: -5 }',
        'server.headers_timeout_ms: expected a positive integer, got -5',
      ],
      [
        'backends:\n  c: { type: anthropic, base_url: "http://h", timeout_ms: 0 }',
        'backends.c.timeout_ms: expected a positive integer, got 0',
      ],
      ['render: { quality: 101 }', 'render.quality: expected 1–100, got 101'],
      ['log_format: xml', 'log_format: expected auto, pretty or json, got "xml"'],
      [
        'backends:\n  l: { type: local, minimum_ocr_confidence: 140 }',
        'backends.l.minimum_ocr_confidence: expected an integer from 0 to 100, got 140',
      ],
    ];
    for (const [yaml, problem] of cases) expect(problemsOf(yaml), yaml).toEqual([problem]);
    expect(problemsOf('port: 65535')).toEqual([]);
    expect(problemsOf('port: 1')).toEqual([]);
  });

  it('checks types, and says what was given', () => {
    const cases: Array<[string, string]> = [
      ['port: "8080"', 'port: expected a port number (1–65535), got "8080"'],
      ['allow_private_urls: yes please', 'allow_private_urls: expected true or false, got "yes please"'],
      ['files: nope', 'files: expected a mapping, got "nope"'],
      ['models: { id: m }', 'models: expected a list, got {"id":"m"}'],
      ['backends: { x: 5 }', 'backends.x: expected a mapping with a type, got 5'],
      [
        'backends:\n  x: { type: magic }',
        'backends.x.type: expected anthropic, openai-compatible or local, got "magic"',
      ],
      [
        'backends:\n  x: { type: anthropic, base_url: "ftp://h" }',
        'backends.x.base_url: expected an http:// or https:// URL, got "ftp://h"',
      ],
      [
        'backends:\n  x: { type: anthropic }',
        'backends.x.base_url: expected an http:// or https:// URL, got nothing',
      ],
      [
        'backends:\n  x: { type: anthropic, base_url: "http://h", headers: { x-team: 7 } }',
        'backends.x.headers.x-team: expected a header value (a string), got 7',
      ],
      ['api_keys: [{ key: k }]', 'api_keys.0.workspace: expected a workspace name, got nothing'],
      [
        'models:\n  - { id: m, backend: local, created_at: soon }',
        'models.0.created_at: expected a date (2027-01-22 or RFC 3339), got "soon"',
      ],
      ['- a list', 'the configuration file must hold a mapping'],
    ];
    for (const [yaml, problem] of cases) expect(problemsOf(yaml), yaml).toEqual([problem]);
  });

  it('reports every mistake at once, file and environment', () => {
    const problems = problemsOf(
      [
        'prot: 8080',
        'port: 70000',
        'files: { max_byte: 3, downloadable: maybe }',
        'backends:',
        '  x: { type: anthropic, base_url: "http://h", header: { a: b } }',
        'models:',
        '  - { id: m, backend: nowhere }',
      ].join('\n'),
      { SIGHTLINE_VISION_RULES: 'latest' },
      'sightline.yaml',
    );
    expect([...problems].sort()).toEqual(
      [
        'sightline.yaml: unknown key "prot" (did you mean "port"?)',
        'sightline.yaml: port: expected a port number (1–65535), got 70000',
        'sightline.yaml: unknown key "files.max_byte" (did you mean "files.max_bytes"?)',
        'sightline.yaml: files.downloadable: expected true or false, got "maybe"',
        'sightline.yaml: unknown key "backends.x.header" (did you mean "backends.x.headers"?)',
        'sightline.yaml: models.0.backend: no backend named nowhere (known: local, x)',
        'SIGHTLINE_VISION_RULES: expected 2026-04 or 2026-09, got "latest"',
      ].sort(),
    );
  });

  it('checks a model is like a catalog model, with the closest id', () => {
    expect(problemsOf('models: [{ id: acme, backend: local, like: claude-opus-4-8x }]')).toEqual([
      'models.0.like: no catalog model named claude-opus-4-8x (did you mean "claude-opus-4-8"?)',
    ]);
    expect(problemsOf('models: [{ id: acme, backend: local, like: claude-opus-4-5 }]')).toEqual([]);
  });

  it('reports a file that is not YAML as one problem, not a crash', () => {
    expect(problemsOf('port: [8080', {}, 'bad.yaml')).toEqual([
      expect.stringMatching(/^bad\.yaml: not valid YAML: /),
    ]);
  });
});

describe('environment', () => {
  it('still overrides the file, each variable checked like its key', () => {
    const config = parseConfig('port: 9000\nredis: { url: "redis://file" }\nlog_format: json\n', {
      SIGHTLINE_HOST: '0.0.0.0',
      SIGHTLINE_PORT: '9100',
      SIGHTLINE_DATA_DIR: '/srv/sightline',
      SIGHTLINE_POSTGRES_URL: 'postgres://db/s',
      SIGHTLINE_REDIS_URL: 'redis://env',
      SIGHTLINE_LOG_LEVEL: 'debug',
      SIGHTLINE_LOG_FORMAT: 'pretty',
      SIGHTLINE_REPAIR: 'images',
      SIGHTLINE_ALLOW_PRIVATE_URLS: 'yes',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9100,
      dataDir: '/srv/sightline',
      files: { postgresUrl: 'postgres://db/s' },
      operations: { redisUrl: 'redis://env' },
      logLevel: 'debug',
      logFormat: 'pretty',
      repair: { images: true, history: false },
      allowPrivateUrls: true,
    });
    expect(problemsOf('', { SIGHTLINE_PORT: '70000' })).toEqual([
      'SIGHTLINE_PORT: expected a port number (1–65535), got "70000"',
    ]);
    expect(problemsOf('', { SIGHTLINE_LOG_FORMAT: 'xml' })).toEqual([
      'SIGHTLINE_LOG_FORMAT: expected auto, pretty or json, got "xml"',
    ]);
  });
});

describe('backend settings reachable from the file, camelCase', () => {
  it('anthropic: headers, anthropic_version and the rest', () => {
    const config = parseConfig(`
backends:
  claude:
    type: anthropic
    base_url: "https://api.anthropic.com"
    api_key_env: KEY
    anthropic_version: "2023-06-01"
    headers: { anthropic-beta: "files-api-2025-04-14" }
    timeout_ms: 5000
    max_response_bytes: 1000000
    pre_resize: false
    inline_sources: true
    platform: vertex
    view_format: jpeg
    max_image_bytes: 4000000
`);
    expect(config.backends.claude).toEqual({
      type: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      apiKeyEnv: 'KEY',
      anthropicVersion: '2023-06-01',
      headers: { 'anthropic-beta': 'files-api-2025-04-14' },
      timeoutMs: 5000,
      maxResponseBytes: 1000000,
      preResize: false,
      inlineSources: true,
      platform: 'vertex',
      viewFormat: 'jpeg',
      maxImageBytes: 4000000,
    });
  });

  it('openai-compatible: headers', () => {
    const config = parseConfig(
      'backends:\n  o: { type: openai-compatible, base_url: "http://h/v1", api_key: k, headers: { x-org: acme } }',
    );
    expect(config.backends.o).toEqual({
      type: 'openai-compatible',
      baseUrl: 'http://h/v1',
      apiKey: 'k',
      headers: { 'x-org': 'acme' },
    });
  });

  it("local: the engine's OCR, cache and queue settings", () => {
    const config = parseConfig(`
backends:
  local: { type: local, queue_size: 2, ocr: false, ocr_language_path: /opt/tessdata, minimum_ocr_confidence: 55, measures_cache_size: 0 }
`);
    expect(config.backends.local).toEqual({
      type: 'local',
      queueSize: 2,
      ocr: false,
      ocrLanguagePath: '/opt/tessdata',
      minimumOcrConfidence: 55,
      measuresCacheSize: 0,
    });
  });

  it('models, limits and S3 come out camelCase too', () => {
    const config = parseConfig(`
models:
  - { id: acme, backend: local, upstream_model: a, display_name: Acme, max_output_tokens: 100, input_price: 1, created_at: 2026-11-01 }
limits: { default: { output_tokens_per_minute: 9 } }
files: { s3: { bucket: b, access_key_id_env: K } }
`);
    expect(config.models[0]).toEqual({
      id: 'acme',
      backend: 'local',
      upstreamModel: 'a',
      displayName: 'Acme',
      maxOutputTokens: 100,
      inputPrice: 1,
      createdAt: '2026-11-01',
    });
    expect(config.operations.limits.default).toEqual({ outputTokensPerMinute: 9 });
    expect(config.operations.s3).toEqual({
      bucket: 'b',
      region: 'us-east-1',
      accessKeyIdEnv: 'K',
      forcePathStyle: false,
      prefix: '',
    });
  });
});
