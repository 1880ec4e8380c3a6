/**
 * Bytes to text, refusing what is not text: oversized input, binary files, invalid UTF-8.
 * A charset declared by an HTML page (`<meta charset>`) or a byte-order mark decides the encoding;
 * otherwise the input must be valid UTF-8.
 */

export type Decoded = { ok: true; text: string; warnings: string[] } | { ok: false; status: 'empty' | 'failed'; reason: string };

export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

const SNIFF_BYTES = 64 * 1024;
/** Share of control characters above which content is treated as binary. */
const MAX_CONTROL_SHARE = 0.05;

function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

export function describeSizeLimit(size: number, limit: number): string {
  return `input is ${describeBytes(size)} (${size} bytes), over the ${describeBytes(limit)} limit (${limit} bytes)`;
}

function isControlCode(code: number): boolean {
  // Tab, line feed, form feed, carriage return and escape appear in real text files.
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d && code !== 0x1b) || code === 0x7f;
}

function looksBinary(codes: ArrayLike<number>, length: number): boolean {
  let controls = 0;
  for (let i = 0; i < length; i += 1) {
    const code = codes[i] ?? 0;
    if (code === 0) return true;
    if (isControlCode(code)) controls += 1;
  }
  return length > 0 && controls / length > MAX_CONTROL_SHARE;
}

/** Byte offset of the first byte that breaks UTF-8 (overlongs and surrogates included), or -1. */
export function findInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    let needed: number;
    let min: number;
    let max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      needed = 1;
      min = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      needed = 2;
      min = lead === 0xe0 ? 0xa0 : 0x80;
      if (lead === 0xed) max = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      needed = 3;
      min = lead === 0xf0 ? 0x90 : 0x80;
      if (lead === 0xf4) max = 0x8f;
    } else {
      return i;
    }
    for (let k = 1; k <= needed; k += 1) {
      const next = bytes[i + k];
      if (next === undefined) return i;
      const low = k === 1 ? min : 0x80;
      const high = k === 1 ? max : 0xbf;
      if (next < low || next > high) return i;
    }
    i += needed + 1;
  }
  return -1;
}

/** The charset an HTML or XML document declares in its first bytes, lower case. */
export function sniffDeclaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const meta = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  if (meta?.[1]) return meta[1].toLowerCase();
  const xml = /^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  return xml?.[1]?.toLowerCase();
}

/** Labels the WHATWG Encoding standard maps to windows-1252 (browsers read "latin1" pages this way). */
const WINDOWS_1252_LABELS = new Set([
  'ansi_x3.4-1968',
  'ascii',
  'cp1252',
  'cp819',
  'csisolatin1',
  'ibm819',
  'iso-8859-1',
  'iso-ir-100',
  'iso8859-1',
  'iso88591',
  'iso_8859-1',
  'iso_8859-1:1987',
  'l1',
  'latin1',
  'us-ascii',
  'windows-1252',
  'x-cp1252',
]);

/** Code points of bytes 0x80–0x9F in windows-1252; the other bytes equal their code point. */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d,
  0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

// Node 20's TextDecoder decodes the windows-1252 label as ISO-8859-1 (curly quotes become C1
// controls), so that one single-byte table is applied here.
function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chunk: number[] = [];
  for (const byte of bytes) {
    chunk.push(byte >= 0x80 && byte <= 0x9f ? (WINDOWS_1252_HIGH[byte - 0x80] ?? byte) : byte);
    if (chunk.length === 8192) parts.push(String.fromCharCode(...chunk.splice(0)));
  }
  parts.push(String.fromCharCode(...chunk));
  return parts.join('');
}

function decodeWith(label: string, bytes: Uint8Array): string | undefined {
  if (WINDOWS_1252_LABELS.has(label)) return decodeWindows1252(bytes);
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function decodeContent(content: Uint8Array | string, maxBytes: number): Decoded {
  if (typeof content === 'string') {
    const size = Buffer.byteLength(content, 'utf8');
    if (size > maxBytes) return { ok: false, status: 'failed', reason: describeSizeLimit(size, maxBytes) };
    if (content.trim().length === 0) return { ok: false, status: 'empty', reason: 'the input is empty or only whitespace' };
    const probe = Math.min(content.length, SNIFF_BYTES);
    const codes: number[] = [];
    for (let i = 0; i < probe; i += 1) codes.push(content.charCodeAt(i));
    if (looksBinary(codes, probe)) return { ok: false, status: 'failed', reason: 'binary content: NUL or control characters' };
    return { ok: true, text: content.replace(/^\uFEFF/, ''), warnings: [] };
  }

  const bytes = content;
  if (bytes.length > maxBytes) return { ok: false, status: 'failed', reason: describeSizeLimit(bytes.length, maxBytes) };
  if (bytes.length === 0) return { ok: false, status: 'empty', reason: 'the input is empty' };

  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const text = decodeWith(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be', bytes);
    if (text === undefined) return { ok: false, status: 'failed', reason: 'invalid UTF-16 after a byte-order mark' };
    return finishDecoded(text.replace(/^\uFEFF/, ''), []);
  }

  if (looksBinary(bytes, Math.min(bytes.length, SNIFF_BYTES))) {
    return { ok: false, status: 'failed', reason: 'binary content: NUL or control bytes' };
  }

  const hasUtf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasUtf8Bom ? bytes.subarray(3) : bytes;
  const declared = hasUtf8Bom ? undefined : sniffDeclaredCharset(body);
  const warnings: string[] = [];
  if (declared !== undefined && !/^(?:utf-?8|unicode-1-1-utf-8)$/.test(declared)) {
    const text = decodeWith(declared, body);
    if (text !== undefined) return finishDecoded(text, [`decoded with the declared charset ${declared}`]);
    warnings.push(`declared charset ${declared} could not decode the bytes; read as UTF-8`);
  }
  const invalidAt = findInvalidUtf8Offset(body);
  if (invalidAt >= 0) {
    const offset = invalidAt + (hasUtf8Bom ? 3 : 0);
    const value = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    return { ok: false, status: 'failed', reason: `invalid UTF-8 at byte offset ${offset} (byte 0x${value})` };
  }
  return finishDecoded(new TextDecoder('utf-8').decode(body), warnings);
}

function finishDecoded(text: string, warnings: string[]): Decoded {
  if (text.trim().length === 0) return { ok: false, status: 'empty', reason: 'the input is only whitespace' };
  return { ok: true, text, warnings };
}
