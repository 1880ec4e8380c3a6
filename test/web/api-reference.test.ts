import { describe, expect, it } from 'vitest';
import { describeSchema, fillPath } from '../../web/lib/api-reference.js';

describe('API reference page helpers', () => {
  it('fills path parameters, escaping what the user typed', () => {
    expect(fillPath('/api/articles/{id}', { id: 'abc' })).toBe('/api/articles/abc');
    expect(fillPath('/api/tools/{name}', { name: 'a/b c' })).toBe('/api/tools/a%2Fb%20c');
    expect(fillPath('/api/tools/{name}', {})).toBe('/api/tools/');
  });

  it('inlines component references and stops at a cycle', () => {
    const components = { schemas: { Node: { type: 'object', properties: { child: { $ref: '#/components/schemas/Node' } } } } };
    const text = describeSchema({ type: 'array', items: { $ref: '#/components/schemas/Node' } }, components);
    expect(JSON.parse(text)).toEqual({ type: 'array', items: { type: 'object', properties: { child: { $ref: 'Node' } } } });
  });
});
