/**
 * Server-Sent Events over a fetch() response. EventSource cannot POST, so we parse the stream
 * ourselves, following the WHATWG rules that matter here: events end at a blank line, `data:`
 * lines join with newlines, one optional space after the colon is dropped, `:` lines are comments.
 */
export function createSseParser(onEvent) {
  let buffer = '';
  let eventName = '';
  let dataLines = [];

  function dispatch() {
    if (dataLines.length > 0) {
      const raw = dataLines.join('\n');
      let data;
      try {
        data = JSON.parse(raw);
      } catch {
        data = raw;
      }
      onEvent({ event: eventName || 'message', data });
    }
    eventName = '';
    dataLines = [];
  }

  function processLine(line) {
    if (line === '') return dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventName = value;
    else if (field === 'data') dataLines.push(value);
    return undefined;
  }

  return {
    push(text) {
      buffer += text;
      const lines = buffer.split(/\r\n|\r|\n/);
      // The last piece may be a line cut in half by the network; keep it for the next chunk.
      buffer = lines.pop() ?? '';
      for (const line of lines) processLine(line);
    },
    end() {
      if (buffer !== '') processLine(buffer);
      buffer = '';
      dispatch();
    },
  };
}

/** Reads a streaming response body to its end, calling onEvent for each event. */
export async function readEventStream(body, onEvent) {
  const parser = createSseParser(onEvent);
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.push(decoder.decode(value, { stream: true }));
  }
  parser.push(decoder.decode());
  parser.end();
}
