import { readFileSync } from 'node:fs';
import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { createRouter } from '../backends/registry.js';
import { parseConfig } from '../config/index.js';
import { catalogMarkdown, createCatalog, isCallable, modelInfo } from './index.js';

const catalog = createCatalog();

/** Every literal of SDK 1.15's `Model` union, read from the installed SDK's own type file. */
function sdkModelIds(): string[] {
  const file = new URL(
    '../../node_modules/@anthropic-ai/sdk/resources/messages/messages.d.mts',
    import.meta.url,
  );
  const types = readFileSync(file, 'utf8');
  const union = /export type Model = ([^;]+);/.exec(types)![1]!;
  return [...union.matchAll(/'([^']+)'/g)].map((match) => match[1]!);
}

describe('the built-in catalog', () => {
  it("knows every id and alias of SDK 1.15's Model union, and none of them is retired", () => {
    const ids = sdkModelIds();
    expect(ids).toHaveLength(20);
    for (const id of ids) {
      const model = catalog.find(id);
      expect(model, id).toBeDefined();
      expect(isCallable(model!), id).toBe(true);
    }
  });

  it('resolves aliases to the dated snapshot', () => {
    expect(catalog.find('claude-opus-4-5')!.id).toBe('claude-opus-4-5-20251101');
    expect(catalog.find('claude-sonnet-4-5')!.id).toBe('claude-sonnet-4-5-20250929');
  });

  it('knows the retired models as retired, with their retirement day', () => {
    for (const id of [
      'claude-sonnet-4-5-20250929',
      'claude-opus-4-1-20250805',
      'claude-opus-4-20250514',
      'claude-sonnet-4-20250514',
      'claude-3-7-sonnet-20250219',
      'claude-3-5-haiku-20241022',
      'claude-3-haiku-20240307',
      'claude-3-opus-20240229',
    ]) {
      const model = catalog.find(id)!;
      expect(model.lifecycle, id).toBe('retired');
      expect(model.retiresAt, id).toMatch(/^20\d\d-\d\d-\d\dT00:00:00Z$/);
    }
    expect(catalog.find('claude-sonnet-4-5')!.retiresAt).toBe('2026-11-30T00:00:00Z');
  });

  it('puts Claude 4.7 and later on the high-resolution tier, the rest on the standard one', () => {
    const tierOf = (id: string) => catalog.find(id)!.profile.maxLongEdge;
    for (const id of [
      'claude-opus-4-7',
      'claude-opus-4-8',
      'claude-sonnet-5',
      'claude-haiku-5-5',
      'claude-fable-5-2',
    ])
      expect(tierOf(id), id).toBe(2576);
    for (const id of ['claude-opus-4-6', 'claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-opus-4-5'])
      expect(tierOf(id), id).toBe(1568);
  });

  it('carries the behaviour validation checks: prefill from 4.6, sampling deprecated from 4.7', () => {
    const behaviour = (id: string) => catalog.find(id)!.behaviour;
    expect(behaviour('claude-haiku-4-5').rejectsPrefill).toBe(false);
    expect(behaviour('claude-opus-4-6').rejectsPrefill).toBe(true);
    expect(behaviour('claude-opus-4-6').samplingDeprecated).toBe(false);
    expect(behaviour('claude-opus-4-7').samplingDeprecated).toBe(true);
    expect(behaviour('claude-mythos-preview')).toMatchObject({
      rejectsPrefill: true,
      samplingDeprecated: true,
    });
  });

  it('lists newest first', () => {
    const dates = catalog.models.map((model) => model.createdAt);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(catalog.models[0]!.id).toBe('claude-fable-5-2');
  });
});

describe('the Models API object', () => {
  it('has the shape SDK 1.15 types, every capability key present', () => {
    const info: Anthropic.ModelInfo = modelInfo(catalog.find('claude-opus-4-5')!);
    expect(info).toMatchObject({
      id: 'claude-opus-4-5-20251101',
      lifecycle: 'deprecated',
      line: 'opus',
      deprecated_at: '2026-11-23T00:00:00Z',
      retires_at: '2027-01-22T00:00:00Z',
      max_input_tokens: 200_000,
      max_tokens: 64_000,
    });
    const keys = Object.keys(info.capabilities!).sort();
    expect(keys).toEqual([
      'batch',
      'citations',
      'code_execution',
      'context_management',
      'effort',
      'image_input',
      'pdf_input',
      'server_tools',
      'structured_outputs',
      'thinking',
    ]);
    const opus47 = modelInfo(catalog.find('claude-opus-4-7')!);
    expect(opus47.capabilities.thinking.types.enabled.supported).toBe(false);
    expect(opus47.capabilities.effort.xhigh).toEqual({ supported: true });
    expect(modelInfo(catalog.find('claude-opus-4-6')!).capabilities.effort.xhigh).toBeNull();
  });
});

describe('configuration extends the catalog', () => {
  const config = parseConfig(`
models:
  - { id: acme-vision-2, backend: local, like: claude-opus-4-7, display_name: Acme Vision 2, created_at: 2026-11-01, input_price: 1 }
  - { id: claude-sonnet-4-5-20250929, backend: local, lifecycle: active }
  - { id: claude-opus-4-6, backend: local, lifecycle: deprecated, retires_at: "2027-02-05", replacement: claude-opus-5-5 }
`);
  const router = createRouter({ backends: config.backends, models: config.models });

  it('a new model takes the facts of the model it is like, with its own on top', () => {
    const acme = router.catalog.find('acme-vision-2')!;
    expect(acme).toMatchObject({
      displayName: 'Acme Vision 2',
      createdAt: '2026-11-01T00:00:00Z',
      lifecycle: 'active',
      inputPricePerMillion: 1,
      outputPricePerMillion: 25,
      maxOutputTokens: 128_000,
      profile: { maxLongEdge: 2576, maxTokens: 4784 },
    });
    expect(acme.behaviour.samplingDeprecated).toBe(true);
    expect(router.route('acme-vision-2')!.backendName).toBe('local');
  });

  it('an operator may keep a retired model alive on their backend, or deprecate one', () => {
    expect(router.catalog.find('claude-sonnet-4-5')!).toMatchObject({ lifecycle: 'active', retiresAt: null });
    expect(router.catalog.find('claude-opus-4-6')!).toMatchObject({
      lifecycle: 'deprecated',
      retiresAt: '2027-02-05T00:00:00Z',
      replacement: 'claude-opus-5-5',
    });
  });

  it('a model like an unknown one is a configuration error (and the registry refuses one too)', () => {
    expect(() => parseConfig('models: [{ id: x, backend: local, like: claude-nope }]')).toThrow(
      'models.0.like: no catalog model named claude-nope',
    );
    expect(() =>
      createRouter({ backends: {}, models: [{ id: 'x', backend: 'local', like: 'claude-nope' }] }),
    ).toThrow(/claude-nope/);
  });
});

describe('the README', () => {
  it('shows the catalog exactly as `sightline catalog --markdown --all` prints it', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /<!-- catalog:start[^>]*-->\n([\s\S]*?)<!-- catalog:end -->/.exec(readme);
    expect(section, 'README.md needs the catalog markers').not.toBeNull();
    // to refresh: npm run build && node bin/sightline.js catalog --markdown --all
    expect(section![1]).toBe(catalogMarkdown(catalog.models));
  });
});
