// Tolerant reading of upstream JSON: the one guard for "a plain object whose fields may be read".

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
