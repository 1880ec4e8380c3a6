/** See bundle-cache.mjs. */
export function storeBundle(dir: string, name: string, code: string, staleMs: number, sourceMap?: string): string;
export function writeWhole(path: string, content: string): void;
export function recordInputs(manifest: string, bundle: string, inputs: string[], began: number): void;
export function reusableBundle(manifest: string): string | undefined;
