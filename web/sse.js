// Reads a text/event-stream as its text arrives (docs/rules/wire.md §7.1): `event:` and `data:` lines, a blank line
// ends a frame, `:` lines are comments, a trailing `\r` is dropped, several `data:` lines are joined with `\n`.

/** A parser fed with text chunks; calls onFrame({ event, data }) for each complete frame. */
export function createEventParser(onFrame) {
  let buffer = '';
  let event = '';
  let data = [];
  const take = (line) => {
    if (line === '') {
      if (data.length > 0) onFrame({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  };
  return {
    push(text) {
      buffer += text;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) take(line.endsWith('\r') ? line.slice(0, -1) : line);
    },
    end() {
      if (buffer !== '') take(buffer.endsWith('\r') ? buffer.slice(0, -1) : buffer);
      buffer = '';
      take('');
    },
  };
}
