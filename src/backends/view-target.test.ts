// What each backend's upstream needs of a view, from configuration (docs/views.md).
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config/index.js';
import { OPENAI_COMPATIBLE_IMAGE_BYTES, viewTargetFor } from './registry.js';

const MB = 1024 * 1024;

describe('viewTargetFor', () => {
  it('Claude: unpadded, originals kept, 10 MB direct and 5 MB on Bedrock or Vertex', () => {
    const config = parseConfig(`
backends:
  direct: { type: anthropic, base_url: "http://127.0.0.1:1" }
  bedrock: { type: anthropic, base_url: "http://127.0.0.1:1", platform: bedrock }
  vertex: { type: anthropic, base_url: "http://127.0.0.1:1", platform: vertex, view_format: webp }
  capped: { type: anthropic, base_url: "http://127.0.0.1:1", max_image_bytes: 1000000 }
`);
    const backends = config.backends;
    expect(viewTargetFor(backends.direct!)).toEqual({
      pad: false,
      format: 'auto',
      keepOriginal: true,
      maxBase64Bytes: 10 * MB,
    });
    expect(viewTargetFor(backends.bedrock!).maxBase64Bytes).toBe(5 * MB);
    expect(viewTargetFor(backends.vertex!)).toMatchObject({ format: 'webp', maxBase64Bytes: 5 * MB });
    expect(viewTargetFor(backends.capped!).maxBase64Bytes).toBe(1_000_000);
  });

  it('OpenAI-compatible: padded, the same format choice, its own limit; local: lossless', () => {
    const config = parseConfig(`
render: { format: jpeg }
backends:
  ollama: { type: openai-compatible, base_url: "http://127.0.0.1:1/v1" }
  vllm: { type: openai-compatible, base_url: "http://127.0.0.1:1/v1", view_format: png, max_image_bytes: 4000000 }
`);
    expect(config.render.format).toBe('jpeg');
    expect(viewTargetFor(config.backends.ollama!, config.render.format)).toEqual({
      pad: true,
      format: 'jpeg',
      maxBase64Bytes: OPENAI_COMPATIBLE_IMAGE_BYTES,
    });
    expect(viewTargetFor(config.backends.vllm!, 'auto')).toMatchObject({
      format: 'png',
      maxBase64Bytes: 4_000_000,
    });
    expect(viewTargetFor({ type: 'local' }, 'auto')).toEqual({ pad: true, format: 'png' });
    expect(parseConfig('').render.format).toBe('auto');
  });

  it('refuses unknown formats and platforms', () => {
    expect(() =>
      parseConfig('backends:\n  x: { type: anthropic, base_url: "http://h", view_format: gif }'),
    ).toThrow(ConfigError);
    expect(() =>
      parseConfig('backends:\n  x: { type: anthropic, base_url: "http://h", platform: azure }'),
    ).toThrow(/platform: expected anthropic, bedrock or vertex/);
  });
});
