// The Messages request built from the conversation: the past turns, then the message being written. As the
// guide recommends, each image is preceded by a text block `Image N:`, numbered across the conversation;
// each image block's JSON path is kept so an API error can be traced back to the user's image.
import type { ContentBlockParam, ImageSource, MessageParam, MessagesRequest } from '../src/wire/index.js';
import type { Draft, PageImage, Placement, Turn } from './types.js';

/** The optional fields sent when set: sampling (where the model accepts it) and stop sequences. */
export type OptionalParameters = Pick<MessagesRequest, 'temperature' | 'top_p' | 'top_k' | 'stop_sequences'>;

export interface RequestSource {
  model: string;
  system: string;
  maxTokens: number;
  parameters: OptionalParameters;
  turns: readonly Pick<Turn, 'user' | 'assistant'>[];
  /** The message box, or null to leave it out. */
  draft: Draft | null;
}

/** Each image block's source (base64 or a file id; a placeholder in the request panel). */
export type SourceFor = (image: PageImage, number: number) => ImageSource;

/** The body to POST to /v1/messages (stream: true) and the images' `{ image, number, path }`. */
export function buildRequest(
  conversation: RequestSource,
  sourceFor: SourceFor,
): { body: MessagesRequest; placements: Placement[] } {
  const messages: MessageParam[] = [];
  const placements: Placement[] = [];
  let number = 0;
  const userMessage = ({ text, images }: Draft): MessageParam => {
    const messageIndex = messages.length;
    if (images.length === 0) return { role: 'user', content: text };
    const content: ContentBlockParam[] = [];
    for (const image of images) {
      number += 1;
      content.push({ type: 'text', text: `Image ${number}:` });
      placements.push({ image, number, path: `messages.${messageIndex}.content.${content.length}` });
      content.push({ type: 'image', source: sourceFor(image, number) });
    }
    if (text.trim() !== '') content.push({ type: 'text', text });
    return { role: 'user', content };
  };
  for (const turn of conversation.turns) {
    messages.push(userMessage(turn.user));
    if (turn.assistant.text.trim() !== '') messages.push({ role: 'assistant', content: turn.assistant.text });
  }
  const { draft } = conversation;
  if (draft && (draft.text.trim() !== '' || draft.images.length > 0)) messages.push(userMessage(draft));
  const body: MessagesRequest = {
    model: conversation.model,
    max_tokens: conversation.maxTokens,
    ...(conversation.system.trim() !== '' ? { system: conversation.system } : {}),
    messages,
    ...conversation.parameters,
    stream: true,
  };
  return { body, placements };
}

/** The same request for POST /v1/messages/count_tokens (no max_tokens, sampling or stream). */
export function countBody(body: MessagesRequest): Pick<MessagesRequest, 'model' | 'system' | 'messages'> {
  const { model, system, messages } = body;
  return { model, ...(system !== undefined ? { system } : {}), messages };
}
