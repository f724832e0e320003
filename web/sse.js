// Reads a text/event-stream body (wire.md §4.1): `event:` and `data:` lines, a blank line ends a frame,
// `:` lines are comments, a trailing `\r` is dropped, several `data:` lines are joined with `\n`.

/** Yields `{ event, data }` for each frame of a fetch Response body, as the bytes arrive. */
export async function* readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = '';
  let data = [];
  const take = (line) => {
    if (line === '') {
      const frame = data.length > 0 ? { event: event || 'message', data: data.join('\n') } : null;
      event = '';
      data = [];
      return frame;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    return null;
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const frame = take(line.endsWith('\r') ? line.slice(0, -1) : line);
        if (frame) yield frame;
      }
    }
    const last = take(buffer.endsWith('\r') ? buffer.slice(0, -1) : buffer) ?? take('');
    if (last) yield last;
  } finally {
    reader.releaseLock();
  }
}
