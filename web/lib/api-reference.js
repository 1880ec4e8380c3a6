// The API reference page: renders /api/openapi.json (every route, its schema and example) and
// sends requests from the page. Plain DOM, no inline script or style, so it runs under the app's CSP.

const METHODS = ['get', 'post', 'delete'];

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'className') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

/** Replaces `{name}` segments with the values typed into the operation's parameter fields. */
export function fillPath(path, values) {
  return path.replace(/\{(\w+)\}/g, (_match, name) => encodeURIComponent(values[name] ?? ''));
}

/** Turns a resolved schema (with `$ref`s into components) into a readable JSON text. */
export function describeSchema(schema, components) {
  const seen = new Set();
  const resolve = (node) => {
    if (!node || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map(resolve);
    if (typeof node.$ref === 'string') {
      const name = node.$ref.split('/').pop();
      if (seen.has(name)) return { $ref: name };
      seen.add(name);
      const resolved = resolve(components?.schemas?.[name]);
      seen.delete(name);
      return resolved;
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value)]));
  };
  return JSON.stringify(resolve(schema), null, 2);
}

function renderOperation(path, method, operation, components) {
  const body = element('div', { className: 'body' });
  if (operation.description) body.append(element('p', {}, operation.description));
  const parameters = operation.parameters ?? [];
  const fields = {};
  if (parameters.length > 0) {
    const row = element('div', { className: 'params' });
    for (const parameter of parameters) {
      const input = element('input', { placeholder: `${parameter.name} (${parameter.in})`, 'aria-label': parameter.name });
      if (parameter.schema?.example !== undefined) input.value = String(parameter.schema.example);
      fields[parameter.name] = input;
      row.append(input);
    }
    body.append(row);
  }
  const json = operation.requestBody?.content?.['application/json'];
  let editor;
  if (json) {
    body.append(element('h4', {}, 'Request body'));
    editor = element('textarea', { 'aria-label': `${method.toUpperCase()} ${path} body`, spellcheck: 'false' });
    editor.value = JSON.stringify(json.example ?? {}, null, 2);
    body.append(editor);
    const schema = element('details', {}, element('summary', {}, 'Schema'), element('pre', {}, describeSchema(json.schema, components)));
    body.append(schema);
  }
  const ok = Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith('2'));
  const okSchema = ok?.[1]?.content?.['application/json']?.schema;
  if (okSchema) body.append(element('details', {}, element('summary', {}, `Response ${ok[0]}`), element('pre', {}, describeSchema(okSchema, components))));

  const status = element('span', { className: 'status', role: 'status' });
  const output = element('pre', { hidden: '' });
  const send = element('button', { type: 'button' }, 'Send');
  send.addEventListener('click', async () => {
    const values = Object.fromEntries(Object.entries(fields).map(([name, input]) => [name, input.value]));
    const query = parameters
      .filter((parameter) => parameter.in === 'query' && values[parameter.name])
      .map((parameter) => `${parameter.name}=${encodeURIComponent(values[parameter.name])}`);
    const url = `${fillPath(path, values)}${query.length ? `?${query.join('&')}` : ''}`;
    const key = document.getElementById('api-key').value.trim();
    const headers = { ...(editor ? { 'content-type': 'application/json' } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) };
    status.textContent = '…';
    try {
      const response = await fetch(url, { method: method.toUpperCase(), headers, ...(editor ? { body: editor.value } : {}) });
      const text = await response.text();
      status.textContent = `${response.status} ${response.statusText}`;
      output.textContent = formatBody(text);
    } catch (error) {
      status.textContent = 'network error';
      output.textContent = String(error);
    }
    output.hidden = false;
  });
  body.append(send, status, output);
  const summary = element(
    'summary',
    {},
    element('span', { className: `method ${method}` }, method.toUpperCase()),
    element('span', { className: 'path' }, path),
    element('span', {}, operation.summary ?? ''),
  );
  return element('details', { className: 'operation' }, summary, body);
}

function formatBody(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

async function main() {
  const container = document.getElementById('operations');
  const response = await fetch('api/openapi.json');
  const document_ = await response.json();
  document.getElementById('api-title').textContent = `${document_.info.title} HTTP API ${document_.info.version}`;
  container.replaceChildren();
  for (const [path, item] of Object.entries(document_.paths)) {
    for (const method of METHODS) if (item[method]) container.append(renderOperation(path, method, item[method], document_.components));
  }
}

if (typeof document !== 'undefined' && document.getElementById('operations')) {
  main().catch((error) => {
    document.getElementById('operations').textContent = `Could not load the API description: ${error}`;
  });
}
