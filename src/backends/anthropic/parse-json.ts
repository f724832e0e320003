// Safe JSON parse for upstream (network) text: returns undefined instead of throwing.

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
