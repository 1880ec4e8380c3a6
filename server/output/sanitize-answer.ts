import { stripInvisibleText } from '../../lib/invisible-text.ts';

/**
 * The one output layer every engine's text passes through before a client sees it, chat and
 * research, streamed and whole (pure). A model that obeys instructions hidden in an article can
 * write anything; whatever it writes, the answer keeps:
 * - no images (charts are drawn by the UI from tool results, never as Markdown images);
 * - no raw HTML: complete tags go (with the content of script-like elements), any other `<` that
 *   could open a tag is escaped;
 * - links only with an http(s) URL of a source the answer cites (everything else keeps its text);
 *   bare URLs likewise; reference-style definitions never;
 * - no `[n]` marker for a source that was not retrieved;
 * - no sentence repeating the server's own instructions (system prompt echo);
 * - at most `maxChars` characters.
 * Every step is one linear pass: the input is model output, so it may be hostile too.
 */
export const OUTPUT_DEFAULTS = {
  /** Longest chat answer returned or streamed (a long analyst reply is 4,000). */
  answerChars: 16_000,
  /** Longest research report. */
  reportChars: 120_000,
  /** Words in a run that, found verbatim in the server's prompts, marks an echo. */
  echoWords: 8,
};

export interface OutputPolicy {
  /** http(s) URLs that links may point to: those of the cited sources. */
  allowedUrls: ReadonlySet<string>;
  /** When known, markers `[n]` with n >= sourceCount are removed. */
  sourceCount?: number;
  maxChars: number;
  echoGuard?: EchoGuard;
}

export type RemovalKind = 'image' | 'html' | 'link' | 'url' | 'marker' | 'echo' | 'truncated';

export interface SanitizedOutput {
  text: string;
  removed: RemovalKind[];
}

// Elements whose content is not text for a reader; dropped with their content.
const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'svg', 'math', 'template', 'noscript', 'textarea', 'select', 'title']);
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]{0,40})(?:[\s/][^<>]*)?>|<!--|<![A-Za-z[][^<>]*>|<\?[^<>]*>/g;
const IMAGE_INLINE = /!\[[^\]\n]*\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)/g;
const IMAGE_REFERENCE = /!\[[^\]\n]*\]\[[^\]\n]*\]/g;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]+\]:[^\n]*$/gm;
const REFERENCE_LINK = /\[(?!\d{1,3}\])([^\]\n]+)\]\[(?!\d{1,3}\])[^\]\n]*\]/g;
// An inline link, an autolink, or a bare URL, in one pass so a kept link's URL is not seen twice.
const LINK_OR_URL =
  /\[([^\]\n]*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)|<([A-Za-z][A-Za-z0-9+.-]{1,20}:[^<>\s]*)>|\b((?:https?|ftp|javascript|vbscript|data|file):[^\s<>()[\]"'`]*|www\.[^\s<>()[\]"'`]+)/gi;
const MARKER = /\[(\d{1,3})\](?!\()/g;

export function sanitizeAnswer(text: string, policy: OutputPolicy, options: { trim?: boolean } = {}): SanitizedOutput {
  const removed = new Set<RemovalKind>();
  let output = stripInvisibleText(text);
  output = removeHtml(output, removed);
  output = output.replace(IMAGE_INLINE, () => mark(removed, 'image', '')).replace(IMAGE_REFERENCE, () => mark(removed, 'image', ''));
  output = output
    .replace(REFERENCE_DEFINITION, () => mark(removed, 'link', ''))
    .replace(REFERENCE_LINK, (_match, label: string) => mark(removed, 'link', label));
  output = output.replace(
    LINK_OR_URL,
    (match, label: string | undefined, target: string | undefined, autolink: string | undefined, bare: string | undefined) => {
      const url = target ?? autolink ?? bare ?? '';
      if (isAllowedUrl(url, policy.allowedUrls)) return label !== undefined ? `[${label}](${url})` : autolink !== undefined ? `[${url}](${url})` : match;
      if (label !== undefined) return mark(removed, 'link', /^\d{1,3}$/.test(label) ? `[${label}]` : label);
      return mark(removed, 'url', '');
    },
  );
  // Link syntax left over (a fragment split by streaming, a link to a removed URL) cannot open a link.
  output = output.replace(/\]\((?!https?:\/\/)/g, '] (');
  if (policy.sourceCount !== undefined) {
    const count = policy.sourceCount;
    output = output.replace(MARKER, (marker, digits: string) => (Number(digits) < count ? marker : mark(removed, 'marker', '')));
  }
  if (policy.echoGuard) output = policy.echoGuard.strip(output, () => removed.add('echo'));
  if (output.length > policy.maxChars) {
    output = truncate(output, policy.maxChars);
    removed.add('truncated');
  }
  if (options.trim !== false)
    output = output
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  return { text: output, removed: [...removed] };
}

function mark(removed: Set<RemovalKind>, kind: RemovalKind, replacement: string): string {
  removed.add(kind);
  return replacement;
}

export function isAllowedUrl(url: string, allowed: ReadonlySet<string>): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  return allowed.has(url) || allowed.has(url.replace(/\/$/, '')) || allowed.has(`${url}/`);
}

/** Complete tags go, script-like elements with their content; any `<` that could still open a tag is escaped. */
function removeHtml(text: string, removed: Set<RemovalKind>): string {
  let output = '';
  let position = 0;
  let dropping: string | undefined;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(text); match !== null; match = TAG.exec(text)) {
    if (dropping === undefined) output += text.slice(position, match.index);
    position = TAG.lastIndex;
    removed.add('html');
    if (match[0] === '<!--') {
      const end = text.indexOf('-->', TAG.lastIndex);
      position = end < 0 ? text.length : end + 3;
      TAG.lastIndex = position;
      if (end < 0) break;
      continue;
    }
    const name = match[2]?.toLowerCase();
    if (name === undefined) continue;
    if (dropping !== undefined) {
      if (match[1] === '/' && name === dropping) dropping = undefined;
      continue;
    }
    if (match[1] !== '/' && DROP_WITH_CONTENT.has(name) && !match[0].endsWith('/>')) dropping = name;
  }
  if (dropping === undefined) output += text.slice(position);
  return output.replace(/<(?=[A-Za-z/!?])/g, () => mark(removed, 'html', '&lt;'));
}

function truncate(text: string, maxChars: number): string {
  const head = text.slice(0, maxChars);
  const cut = Math.max(head.lastIndexOf('\n'), head.search(/[.!?。！？][^.!?。！？]*$/) + 1);
  return `${cut > maxChars / 2 ? head.slice(0, cut) : head}…`;
}

/**
 * Recognises sentences that repeat the server's own instructions: any run of `echoWords` words
 * (lower-cased, punctuation ignored) that also appears in one of the given texts.
 */
export interface EchoGuard {
  strip(text: string, onRemove: () => void): string;
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function createEchoGuard(protectedTexts: string[], runWords = OUTPUT_DEFAULTS.echoWords): EchoGuard {
  const runs = new Set<string>();
  for (const protectedText of protectedTexts) {
    const list = words(protectedText.replace(/\{\{\w+\}\}/g, ' '));
    for (let index = 0; index + runWords <= list.length; index += 1) runs.add(list.slice(index, index + runWords).join(' '));
  }
  const echoes = (sentence: string) => {
    const list = words(sentence);
    for (let index = 0; index + runWords <= list.length; index += 1) if (runs.has(list.slice(index, index + runWords).join(' '))) return true;
    return false;
  };
  return {
    strip(text, onRemove) {
      // Sentences end at . ! ? (followed by a space or the end) or a line break; each is checked alone.
      return text.replace(/[^\n.!?]*(?:[.!?]+(?=\s|$)|[^\n.!?]*)/g, (sentence) => {
        if (sentence.length === 0 || !echoes(sentence)) return sentence;
        onRemove();
        return '';
      });
    },
  };
}

/**
 * The streamed form: text arrives in arbitrary pieces, so it is released at line and sentence
 * boundaries and each release is sanitized. Links cannot be checked
 * against cited sources while the answer is still being written, so streamed text carries none;
 * the final answer (the `done` event) keeps the allowed ones.
 */
export interface StreamingSanitizer {
  push(delta: string): void;
  /** Releases what is still held (call once, when the engine has finished). */
  flush(): void;
}

/** Index just after the last sentence end in `text` (a full stop with the space after it), 0 when none. */
function lastSentenceEnd(text: string): number {
  for (let index = text.length - 1; index > 0; index -= 1) {
    const character = text[index]!;
    if ('。！？'.includes(character)) return index + 1;
    if ((character === ' ' || character === '\t') && '.!?'.includes(text[index - 1]!)) return index + 1;
  }
  return 0;
}

export interface StreamingPolicy extends Omit<OutputPolicy, 'allowedUrls' | 'sourceCount'> {
  /** Sources retrieved so far (the engine adds some as it calls tools); markers beyond them are removed. */
  sourceCount?: () => number;
}

export function createStreamingSanitizer(policy: StreamingPolicy, emit: (text: string) => void): StreamingSanitizer {
  let buffer = '';
  let emitted = 0;
  const release = (text: string) => {
    if (text.length === 0 || emitted >= policy.maxChars) return;
    const { sourceCount, ...rest } = policy;
    const clean = sanitizeAnswer(
      text,
      { ...rest, allowedUrls: new Set(), maxChars: policy.maxChars - emitted, ...(sourceCount ? { sourceCount: sourceCount() } : {}) },
      { trim: false },
    ).text;
    emitted += clean.length;
    if (clean.length > 0) emit(clean);
  };
  return {
    push(delta) {
      buffer += delta;
      let cut = Math.max(buffer.lastIndexOf('\n') + 1, lastSentenceEnd(buffer));
      // A run this long with no sentence end is released at a space (bounded buffering).
      if (cut === 0 && buffer.length > 2_000) cut = buffer.lastIndexOf(' ') + 1 || buffer.length;
      if (cut === 0) return;
      release(buffer.slice(0, cut));
      buffer = buffer.slice(cut);
    },
    flush() {
      release(buffer);
      buffer = '';
    },
  };
}
