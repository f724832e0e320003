// The Messages request built from the conversation: the past turns, then the message being written. As the
// guide recommends, each image is preceded by a text block `Image N:`, numbered across the conversation;
// each image block's JSON path is kept so an API error can be traced back to the user's image.

/**
 * conversation: { model, system, maxTokens, parameters, turns, draft }; turns: [{ user: { text, images },
 * assistant: { text } }]; draft: { text, images } or null (the message box); parameters: the optional
 * sampling fields to send ({ temperature?, top_p?, top_k?, stop_sequences? }).
 * sourceFor(image, number) gives each image block's source.
 * Returns the body to POST to /v1/messages (stream: true) and the images' `{ image, number, path }`.
 */
export function buildRequest(conversation, sourceFor) {
  const messages = [];
  const placements = [];
  let number = 0;
  const userMessage = ({ text, images }) => {
    const messageIndex = messages.length;
    if (images.length === 0) return { role: 'user', content: text };
    const content = [];
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
  const body = {
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
export function countBody(body) {
  const { model, system, messages } = body;
  return { model, ...(system !== undefined ? { system } : {}), messages };
}
