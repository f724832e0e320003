// A documented estimate of text tokens, used where no backend reports its own count.
// Claude's tokenizer is not public; English prose averages about 4 characters per token, and
// non-Latin scripts far fewer, so we count: 1 token per 4 characters of ASCII, 1 per other code point,
// plus a fixed overhead per message turn. The estimate is deterministic and errs on the high side.

export const TOKENS_PER_TURN = 3;

export function estimateTextTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const character of text) {
    if ((character.codePointAt(0) ?? 0) < 0x80) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / 4) + other;
}
