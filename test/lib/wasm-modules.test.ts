import { describe, expect, it } from 'vitest';
import { SCORING_KERNEL_WASM } from '../../kb/scoring-kernel-wasm.ts';
import { WEIGHTED_SUM_WASM } from '../../ingest/embed/weighted-sum-wasm.ts';
import { WASM_MODULES, assembleWat } from '../../scripts/build-wasm.mjs';

const generated: Record<string, string> = { SCORING_KERNEL_WASM, WEIGHTED_SUM_WASM };

describe('the WebAssembly modules the code carries', () => {
  it('lists every generated module', () => {
    expect(WASM_MODULES.map((module) => module.constant).sort()).toEqual(Object.keys(generated).sort());
  });

  it.each(WASM_MODULES)('$target is what $source assembles to (run node scripts/build-wasm.mjs after changing it)', async ({ source, constant }) => {
    const bytes = await assembleWat(source);
    expect(bytes.toString('base64')).toBe(generated[constant]);
    expect(WebAssembly.validate(new Uint8Array(bytes))).toBe(true);
  });
});
