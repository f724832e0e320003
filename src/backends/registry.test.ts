import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/index.js';
import { createRouter } from './registry.js';

describe('createRouter', () => {
  const config = parseConfig(`
backends:
  ollama: { type: openai-compatible, base_url: "http://127.0.0.1:1/v1" }
  claude: { type: anthropic, base_url: "http://127.0.0.1:1", api_key: k }
models:
  - { id: qwen-vl, backend: ollama, upstream_model: "qwen2.5vl:7b", profile: { max_long_edge: 1024, max_tokens: 1000 }, context_window: 128000, input_price: 0.1 }
  - { id: claude-haiku-4-5-20251001, backend: ollama, upstream_model: haiku-local }
  - { id: "claude-opus-*", backend: claude }
`);
  const router = createRouter({ backends: config.backends, models: config.models });

  it('routes configured models, patterns, and everything else in the catalog to local', () => {
    expect(router.route('qwen-vl')).toMatchObject({
      backendName: 'ollama',
      backendType: 'openai-compatible',
      upstreamModel: 'qwen2.5vl:7b',
    });
    expect(router.route('claude-opus-4-7')).toMatchObject({
      backendName: 'claude',
      upstreamModel: 'claude-opus-4-7',
    });
    expect(router.route('claude-sonnet-4-6')).toMatchObject({ backendName: 'local', backendType: 'local' });
    expect(router.route('claude-unknown')).toBeUndefined();
  });

  it('aliases resolve to the model id, and configured entries keep catalog data they do not override', () => {
    const haiku = router.route('claude-haiku-4-5')!;
    expect(haiku.model.id).toBe('claude-haiku-4-5-20251001');
    expect(haiku.upstreamModel).toBe('haiku-local');
    expect(haiku.model.contextWindow).toBe(200_000);
    expect(haiku.model.inputPricePerMillion).toBe(1);
  });

  it('a configured model gets its own profile and appears in the catalog', () => {
    const qwen = router.catalog.find('qwen-vl')!;
    expect(qwen.profile).toEqual({ maxLongEdge: 1024, maxTokens: 1000 });
    expect(qwen.contextWindow).toBe(128000);
    expect(router.catalog.models.map((m) => m.id)).toContain('qwen-vl');
  });

  it('backends are created once and shared by the models routed to them', () => {
    expect(router.route('qwen-vl')!.backend).toBe(router.route('claude-haiku-4-5')!.backend);
  });
});
