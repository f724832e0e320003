// JSON request bodies: JSON.parse, then a walk of the parsed keys that refuses prototype poisoning
// (`__proto__`, or `constructor` holding `prototype`), as secure-json-parse does. Its approach — regex
// scans of the raw text — costs ~6 ms on a 4 MB image body; walking keys costs only per key.
import { isAscii } from 'node:buffer';
import { checkJsonLimits, type JsonLimits } from './scan-json-limits.js';

export class PrototypePoisoningError extends Error {
  override name = 'PrototypePoisoningError';
}

function rejectPoisonedKeys(root: unknown): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) pending.push(item);
      continue;
    }
    if (Object.hasOwn(value, '__proto__'))
      throw new PrototypePoisoningError('Object contains forbidden prototype property');
    const record = value as Record<string, unknown>;
    const constructorValue = Object.hasOwn(value, 'constructor') ? record.constructor : undefined;
    if (
      typeof constructorValue === 'object' &&
      constructorValue !== null &&
      Object.hasOwn(constructorValue, 'prototype')
    ) {
      throw new PrototypePoisoningError('Object contains forbidden prototype property');
    }
    for (const key in record) {
      const child = record[key];
      if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
}

/**
 * Parses a JSON request body; throws SyntaxError, PrototypePoisoningError, or JsonLimitError when `limits`
 * (depth, number of values) are exceeded — checked on the bytes before anything is parsed. Image-heavy bodies are pure
 * ASCII (base64): a SIMD ASCII check then a latin1 copy is about 3× faster than UTF-8 decoding.
 */
export function parseJsonBody(body: Buffer | string, limits?: JsonLimits): unknown {
  if (limits !== undefined) checkJsonLimits(typeof body === 'string' ? Buffer.from(body) : body, limits);
  const text =
    typeof body === 'string' ? body : isAscii(body) ? body.toString('latin1') : body.toString('utf8');
  const value: unknown = JSON.parse(text);
  rejectPoisonedKeys(value);
  return value;
}
