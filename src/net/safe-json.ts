// Safe JSON parse for network text (upstream bodies, SSE data): returns undefined instead of throwing.

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
