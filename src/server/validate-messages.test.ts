import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/index.js';
import { ApiError } from '../errors/index.js';
import type { MessagesRequest } from '../wire/index.js';
import {
  deprecationWarning,
  refuseRetiredModel,
  validateForModel,
  validateMessagesContent,
} from './validate-messages.js';

const catalog = createCatalog();
const request = (extra: Record<string, unknown> = {}): MessagesRequest =>
  ({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }], ...extra }) as MessagesRequest;

function messageOf(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBeLessThan(500);
    return (error as ApiError).message;
  }
  return 'ok';
}

describe('validateForModel', () => {
  const haiku = catalog.find('claude-haiku-4-5')!;
  const opus47 = catalog.find('claude-opus-4-7')!;

  it('names the first sampling parameter present on 2026-10-21', () => {
    expect(messageOf(() => validateForModel(request({ top_k: 3, top_p: 1 }), haiku, '2026-10-21'))).toBe(
      'top_p: Extra inputs are not permitted',
    );
    expect(messageOf(() => validateForModel(request({ temperature: null }), haiku, '2026-10-21'))).toBe('ok');
  });

  it('on 2023-06-01 (or no version) only a 4.7+ model refuses, and only non-default values', () => {
    expect(messageOf(() => validateForModel(request({ temperature: 0 }), opus47, undefined))).toBe(
      '`temperature` is deprecated for this model.',
    );
    expect(messageOf(() => validateForModel(request({ top_k: 40 }), opus47, '2023-06-01'))).toBe(
      '`top_k` is deprecated for this model.',
    );
    expect(
      messageOf(() => validateForModel(request({ temperature: 1, top_p: 1 }), opus47, '2023-06-01')),
    ).toBe('ok');
    expect(messageOf(() => validateForModel(request({ temperature: 0 }), haiku, '2023-06-01'))).toBe('ok');
  });

  it('max_tokens: the limit itself is allowed, one more is not', () => {
    expect(messageOf(() => validateForModel(request({ max_tokens: 64_000 }), haiku, undefined))).toBe('ok');
    expect(messageOf(() => validateForModel(request({ max_tokens: 64_001 }), haiku, undefined))).toBe(
      'max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5-20251001',
    );
  });
});

describe('thinking and tool_choice by model', () => {
  it('enabled thinking on 4.7+, adaptive on 4.5, forced tool choice on Opus 5.5', () => {
    const enabled = request({ thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(messageOf(() => validateForModel(enabled, catalog.find('claude-opus-4-7')!, undefined))).toBe(
      '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
    );
    expect(messageOf(() => validateForModel(enabled, catalog.find('claude-opus-4-6')!, undefined))).toBe(
      'ok',
    );
    const adaptive = request({ thinking: { type: 'adaptive' } });
    expect(messageOf(() => validateForModel(adaptive, catalog.find('claude-haiku-4-5')!, undefined))).toBe(
      'adaptive thinking is not supported on this model',
    );
    const forced = request({ tool_choice: { type: 'any' } });
    expect(messageOf(() => validateForModel(forced, catalog.find('claude-opus-5-5')!, undefined))).toBe(
      'tool_choice: type "tool" and "any" are not supported for this model.',
    );
    expect(messageOf(() => validateForModel(forced, catalog.find('claude-opus-5')!, undefined))).toBe('ok');
  });
});

describe('validateMessagesContent', () => {
  it('a final assistant turn may be empty; the system prompt is checked too', () => {
    const messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '' },
    ];
    expect(messageOf(() => validateMessagesContent(request({ messages })))).toBe('ok');
    expect(messageOf(() => validateMessagesContent(request({ system: [{ type: 'text', text: '' }] })))).toBe(
      'system: text content blocks must be non-empty',
    );
    expect(
      messageOf(() => validateMessagesContent(request({ messages: [{ role: 'user', content: '  ' }] }))),
    ).toBe('messages: text content blocks must contain non-whitespace text');
  });
});

describe('lifecycle', () => {
  it('a retired model is a 404 naming the id as asked; a deprecated one gets a warning', () => {
    expect(messageOf(() => refuseRetiredModel(catalog.find('claude-sonnet-4-5')!, 'claude-sonnet-4-5'))).toBe(
      'model: claude-sonnet-4-5',
    );
    expect(deprecationWarning(catalog.find('claude-mythos-preview')!)).toBe(
      '299 sightline "claude-mythos-preview is deprecated; use claude-mythos-5"',
    );
    expect(deprecationWarning(catalog.find('claude-opus-4-7')!)).toBeUndefined();
  });
});
