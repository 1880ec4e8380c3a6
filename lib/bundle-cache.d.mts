/** See bundle-cache.mjs. */
export function storeBundle(dir: string, name: string, code: string, staleMs: number, sourceMap?: string): string;
export function writeWhole(path: string, content: string): void;
