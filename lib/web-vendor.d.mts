/** See web-vendor.mjs. */
export function copyVendorFiles(repoRoot: string): string[];
