/** The magic bytes every PDF starts with (ISO 32000-1 §7.5.2), allowing leading junk within the first KiB as readers do. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-');
}
