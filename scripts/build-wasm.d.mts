/** Each .wat of the repository, the TypeScript module generated from it and the constant it exports. */
export declare const WASM_MODULES: readonly { source: string; target: string; constant: string }[];
/** The module bytes a .wat (a path from the repository's root) assembles to. */
export declare function assembleWat(source: string): Promise<Buffer>;
