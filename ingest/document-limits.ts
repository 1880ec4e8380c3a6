/**
 * Limits on one document sent to the server (pure). Within them, parsing, chunking and embedding
 * an upload costs well under 2 s on one core, whatever the input's shape (test/security/bounded-work);
 * the worker's time budget is the second line of defence. The CLI reads the user's own files and
 * applies only its byte limit.
 */
export interface DocumentLimits {
  /** Characters of `text` (plain or Markdown) in one upload, and of the text parsed out of `html`. */
  maxTextChars: number;
  /** Characters of `html` in one upload, markup included. */
  maxHtmlChars: number;
  /** Start tags in one HTML upload (a long news page has 2,000 to 5,000). */
  maxHtmlElements: number;
  /** Elements open at once (real pages stay under 60); deeper nesting is an attack on the parser. */
  maxHtmlDepth: number;
}

export const DOCUMENT_LIMITS: DocumentLimits = {
  maxTextChars: 200_000,
  maxHtmlChars: 1_000_000,
  maxHtmlElements: 8_000,
  maxHtmlDepth: 256,
};

// Elements that never hold content, and those whose end tag is optional (a parser closes them
// implicitly, so an unclosed one does not deepen the tree).
const VOID_OR_OPTIONAL_END = new Set(
  (
    'area base br col embed hr img input link meta param source track wbr ' + 'p li dt dd tr td th thead tbody tfoot colgroup caption option optgroup rb rt rp'
  ).split(' '),
);

/** Elements whose content is raw text: tags written inside them are not elements. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);

export interface HtmlShape {
  elements: number;
  maxDepth: number;
}

/**
 * Counts start tags and the deepest nesting of an HTML string in one linear pass, without building
 * a tree. Unclosed inline tags count as open, so badly nested markup is measured at its worst.
 */
export function measureHtml(html: string): HtmlShape {
  const tag = /<(\/?)([A-Za-z][A-Za-z0-9:-]{0,40})\b[^<>]*?(\/?)>|<!--|<!\[CDATA\[/g;
  let elements = 0;
  let depth = 0;
  let maxDepth = 0;
  let match: RegExpExecArray | null;
  while ((match = tag.exec(html)) !== null) {
    if (match[0] === '<!--' || match[0] === '<![CDATA[') {
      const end = html.indexOf(match[0] === '<!--' ? '-->' : ']]>', tag.lastIndex);
      if (end < 0) break;
      tag.lastIndex = end + 3;
      continue;
    }
    const name = match[2]!.toLowerCase();
    if (match[1] === '/') {
      if (!VOID_OR_OPTIONAL_END.has(name)) depth = Math.max(0, depth - 1);
      continue;
    }
    elements += 1;
    if (RAW_TEXT.has(name)) {
      const closer = new RegExp(`</${name}`, 'gi');
      closer.lastIndex = tag.lastIndex;
      const end = closer.exec(html);
      if (end === null) break;
      tag.lastIndex = end.index;
      continue;
    }
    if (match[3] === '/' || VOID_OR_OPTIONAL_END.has(name)) continue;
    depth += 1;
    if (depth > maxDepth) maxDepth = depth;
  }
  return { elements, maxDepth };
}

/** Why a document exceeds the limits, or undefined when it is within them. */
export function checkDocumentLimits(text: string, format: 'html' | 'other', limits: DocumentLimits = DOCUMENT_LIMITS): string | undefined {
  if (format !== 'html') {
    return text.length > limits.maxTextChars ? `the text has ${text.length} characters; the limit per upload is ${limits.maxTextChars}` : undefined;
  }
  if (text.length > limits.maxHtmlChars) return `the HTML has ${text.length} characters; the limit per upload is ${limits.maxHtmlChars}`;
  const shape = measureHtml(text);
  if (shape.elements > limits.maxHtmlElements) {
    return `the HTML has ${shape.elements} elements; the limit per upload is ${limits.maxHtmlElements} (send the article's text, or its main part, instead of the whole page)`;
  }
  if (shape.maxDepth > limits.maxHtmlDepth) return `the HTML nests ${shape.maxDepth} elements deep; the limit is ${limits.maxHtmlDepth}`;
  return undefined;
}
