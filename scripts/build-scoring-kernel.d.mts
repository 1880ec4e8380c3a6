/** The module bytes kb/scoring-kernel.wat assembles to (see build-scoring-kernel.mjs). */
export declare function assembleScoringKernel(): Promise<Buffer>;
