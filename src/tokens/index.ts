export { estimateTextTokens, TOKENS_PER_TURN } from './text-tokens.js';
