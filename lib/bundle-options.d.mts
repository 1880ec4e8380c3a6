/** See bundle-options.mjs. */
export const EXTERNAL_PACKAGES: readonly string[];
export const REQUIRE_BANNER: string;
