// The normalised prompt: its types, the one builder (the server calls it once per request), helpers.
export { listPromptImages } from './list-prompt-images.js';
export { type NormalisedRequest, normaliseMessagesRequest } from './normalise-messages-request.js';
export type * from './types.js';
