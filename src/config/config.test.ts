import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, parseConfig } from './config.js';

const ISSUE_EXAMPLE = `
allow_private_urls: false
backends:
  ollama: { type: openai-compatible, base_url: "http://127.0.0.1:11434/v1", api_key_env: OLLAMA_KEY }
  claude: { type: anthropic, base_url: "https://api.anthropic.com", api_key_env: ANTHROPIC_UPSTREAM_KEY, inline_sources: false }
models:
  - { id: qwen-vl, backend: ollama, upstream_model: "qwen2.5vl:7b", profile: { max_long_edge: 1568, max_tokens: 1568 }, context_window: 128000 }
  - { id: "claude-*", backend: claude }
`;

describe('parseConfig', () => {
  it('embedded defaults with no file and no environment', () => {
    expect(parseConfig('')).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      dataDir: './.sightline',
      apiKeys: [],
    });
  });

  it('reads the YAML shape of the issue, camelCase out', () => {
    const config = parseConfig(ISSUE_EXAMPLE);
    expect(config.backends.ollama).toEqual({
      type: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKeyEnv: 'OLLAMA_KEY',
    });
    expect(config.backends.claude).toMatchObject({ type: 'anthropic', inlineSources: false });
    expect(config.models[0]).toEqual({
      id: 'qwen-vl',
      backend: 'ollama',
      upstreamModel: 'qwen2.5vl:7b',
      profile: { maxLongEdge: 1568, maxTokens: 1568 },
      contextWindow: 128000,
    });
    expect(config.models[1]).toEqual({ id: 'claude-*', backend: 'claude' });
  });

  it('environment overrides the file, flags override both', () => {
    const config = parseConfig(
      'port: 9000\nhost: 0.0.0.0\n',
      {
        SIGHTLINE_PORT: '9100',
        SIGHTLINE_API_KEYS: 'team-a:c2VjcmV0LWtleQ==, dGhlLW90aGVyLWtleQ==',
        SIGHTLINE_ALLOW_PRIVATE_URLS: 'true',
      },
      { port: 9200 },
    );
    expect(config.port).toBe(9200);
    expect(config.host).toBe('0.0.0.0');
    expect(config.apiKeys).toEqual([
      { key: 'c2VjcmV0LWtleQ==', workspace: 'team-a' },
      { key: 'dGhlLW90aGVyLWtleQ==', workspace: 'workspace-2' },
    ]);
    expect(config.allowPrivateUrls).toBe(true);
  });

  it('reads the local engine queue size (0 allowed: only the request being read)', () => {
    expect(parseConfig('backends:\n  local: { type: local, queue_size: 0 }\n').backends.local).toEqual({
      type: 'local',
      queueSize: 0,
    });
    expect(parseConfig('backends:\n  local: { type: local }\n').backends.local).toEqual({ type: 'local' });
    expect(() => parseConfig('backends:\n  local: { type: local, queue_size: -1 }\n')).toThrow(
      /backends\.local\.queue_size/,
    );
  });

  it('names the offending key in errors', () => {
    expect(() => parseConfig('backends:\n  x: { type: magic }\n')).toThrow(/backends\.x\.type/);
    expect(() => parseConfig('models:\n  - { id: m, backend: nowhere }\n')).toThrow(
      /models\.0\.backend: no backend named nowhere/,
    );
    expect(() => parseConfig('port: -1\n')).toThrow(ConfigError);
    expect(() => parseConfig('render: { format: tiff }\n')).toThrow(/render\.format/);
    expect(() => parseConfig('- a list\n')).toThrow(/mapping/);
    expect(() => parseConfig('', { SIGHTLINE_API_KEYS: 'team:' })).toThrow(/SIGHTLINE_API_KEYS/);
  });

  it('selects the revision of the image rules: file, then SIGHTLINE_VISION_RULES, then the flag', () => {
    expect(parseConfig('').vision.rules).toBe('2026-09');
    expect(parseConfig('vision: { rules: "2026-04" }\n').vision.rules).toBe('2026-04');
    expect(
      parseConfig('vision: { rules: "2026-04" }\n', { SIGHTLINE_VISION_RULES: '2026-09' }).vision.rules,
    ).toBe('2026-09');
    expect(
      parseConfig('', { SIGHTLINE_VISION_RULES: '2026-09' }, { vision: { rules: '2026-04' } }).vision.rules,
    ).toBe('2026-04');
    expect(() => parseConfig('vision: { rules: "2025-01" }\n')).toThrow(
      'vision.rules: expected 2026-04 or 2026-09, got "2025-01"',
    );
    expect(() => parseConfig('', { SIGHTLINE_VISION_RULES: 'latest' })).toThrow(/SIGHTLINE_VISION_RULES/);
  });
});

describe('repair and computer_use', () => {
  it('off by default; set globally, per key, or by SIGHTLINE_REPAIR', () => {
    expect(DEFAULT_CONFIG.repair).toMatchObject({ images: false, history: false, keepRecentScreenshots: 3 });
    expect(DEFAULT_CONFIG.computerUse).toBe('off');
    const config = parseConfig(`
repair: { images: true, keep_recent_screenshots: 5 }
computer_use: scale
api_keys:
  - { key: k1, workspace: w1, repair: { history: true }, computer_use: off }
`);
    expect(config.repair).toMatchObject({ images: true, history: false, keepRecentScreenshots: 5 });
    expect(config.computerUse).toBe('scale');
    expect(config.apiKeys[0]).toEqual({
      key: 'k1',
      workspace: 'w1',
      repair: { history: true },
      computerUse: 'off',
    });
    expect(parseConfig('', { SIGHTLINE_REPAIR: 'history' }).repair).toMatchObject({
      images: false,
      history: true,
    });
  });

  it('refuses wrong shapes', () => {
    expect(() => parseConfig('repair: { images: yes please }')).toThrow(ConfigError);
    expect(() => parseConfig('computer_use: zoom')).toThrow(/computer_use: expected scale or off/);
    expect(() => parseConfig('repair: { max_request_bytes: 1000 }')).toThrow(ConfigError);
  });
});
