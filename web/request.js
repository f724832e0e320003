// The Messages request built from the conversation. As the guide recommends, each image is preceded by a
// text block `Image N:`, numbered across the whole conversation; each image block's JSON path is kept so
// the page can word its checks exactly as the API does (`messages.0.content.1.image.source…`).

/** The last turn's assistant text that is sent as a prefill: typed text, never a streamed answer. */
export const prefillOf = (turn) =>
  turn.assistant.origin === 'typed' ? turn.assistant.text : turn.assistant.prefill;

/**
 * conversation: { model, system, maxTokens, turns }; sourceFor(image) gives each image block's source.
 * Returns the body to POST to /v1/messages (stream: true) and the images' `{ image, number, path }`.
 */
export function buildRequest(conversation, sourceFor) {
  const messages = [];
  const placements = [];
  let number = 0;
  conversation.turns.forEach((turn, index) => {
    const messageIndex = messages.length;
    const { text, images } = turn.user;
    let content = text;
    if (images.length > 0) {
      content = [];
      for (const image of images) {
        number += 1;
        content.push({ type: 'text', text: `Image ${number}:` });
        placements.push({ image, number, path: `messages.${messageIndex}.content.${content.length}` });
        content.push({ type: 'image', source: sourceFor(image, number) });
      }
      if (text.trim() !== '') content.push({ type: 'text', text });
    }
    messages.push({ role: 'user', content });
    const assistant = index === conversation.turns.length - 1 ? prefillOf(turn) : turn.assistant.text;
    if (assistant.trim() !== '') messages.push({ role: 'assistant', content: assistant });
  });
  const body = {
    model: conversation.model,
    max_tokens: conversation.maxTokens,
    ...(conversation.system.trim() !== '' ? { system: conversation.system } : {}),
    messages,
    stream: true,
  };
  return { body, placements };
}

/** The same request for POST /v1/messages/count_tokens (no max_tokens, no stream). */
export function countBody(body) {
  const counted = { ...body };
  delete counted.max_tokens;
  delete counted.stream;
  return counted;
}
