/**
 * How an English (or Chinese) sentence leans on the one before it or after it, as data: the openings that point back to
 * something said earlier (a pronoun, a demonstrative, "the answer" to a question just asked, a
 * connective that continues an argument), and the phrases that do so inside a sentence ("as noted
 * above", "such charges", "the latter"). Quoted without the sentence before it, such a sentence
 * reads as a fragment ("It rose 4% after that." — what did?). Read by the offline engine when it
 * chooses supporting points (server/chat/offline/compose-answer.ts); no other module keeps these
 * words.
 *
 * Where the knowledge comes from: the anaphoric and cohesive devices of English grammar
 * (Halliday & Hasan, "Cohesion in English": reference, substitution and conjunction). The words
 * name no company, figure or subject.
 */

/** Pronouns and demonstratives that open a sentence by pointing back. */
export const BACK_REFERENCES = [
  'this',
  'that',
  'these',
  'those',
  'it',
  'its',
  'they',
  'their',
  'them',
  'such',
  'he',
  'she',
  'his',
  'her',
  'both',
  'neither',
] as const;

/** "The answer is no.": nouns that, after "the", stand for a question, a claim or a list just given. */
export const REFERRING_NOUNS = ['answer', 'short answer', 'reason', 'result', 'former', 'latter', 'same', 'other', 'rest', 'remainder', 'difference'] as const;

/** Connectives that continue an argument begun in the sentence before. */
export const CONTINUING_CONNECTIVES = [
  'but',
  'and',
  'yet',
  'so',
  'also',
  'still',
  'instead',
  'however',
  'therefore',
  'thus',
  'hence',
  'likewise',
  'similarly',
  'meanwhile',
  'otherwise',
  'in turn',
  'as a result',
  'by contrast',
  'in contrast',
  'even so',
  'on the other hand',
] as const;

/**
 * A demonstrative before a span of time points at the calendar, not at an earlier sentence: "This
 * year", "that quarter", "these days" read on their own.
 */
export const TIME_NOUNS = [
  'year',
  'years',
  'quarter',
  'quarters',
  'month',
  'months',
  'week',
  'weeks',
  'day',
  'days',
  'time',
  'season',
  'morning',
  'afternoon',
  'evening',
  'fiscal',
  'spring',
  'summer',
  'autumn',
  'fall',
  'winter',
] as const;

/**
 * Phrases that point back from inside a sentence: to text above it, or to a thing or span just
 * named ("such charges", "the latter", "the same period"). "Such as" introduces examples, and "the
 * same period" followed by the year it is in ("the same period last year", "… of 2025") names its
 * own span: neither points back.
 */
export const INLINE_BACK_REFERENCES = [
  'as noted above',
  'as mentioned above',
  'as discussed above',
  'as described above',
  'as shown above',
  'as noted earlier',
  'as mentioned earlier',
  'as discussed earlier',
  'as noted previously',
  'as mentioned previously',
  'as previously noted',
  'as previously mentioned',
  'noted above',
  'mentioned above',
  'described above',
  'discussed above',
  'the above',
  'the aforementioned',
  'the foregoing',
  'the former',
  'the latter',
  'the same period',
  'the same quarter',
  'the same time',
  'the same day',
  'such',
] as const;

/**
 * Chinese openings that point back: a demonstrative or "the same day/period" (这, 该, 同日, 同期),
 * the former or the latter (前者, 后者, 上述), and connectives continuing the sentence before
 * (尽管如此 "even so", 因此 "therefore", 此外 "besides", 然而 "however", 但 "but"). Chinese marks no
 * word boundaries, so these are matched as the sentence's first characters; "这一年" and "该季度"
 * name the calendar and read alone.
 */
export const CHINESE_OPENINGS = [
  '这',
  '该',
  '其',
  '此',
  '它',
  '他们',
  '它们',
  '上述',
  '前者',
  '后者',
  '同日',
  '同期',
  '同时',
  '与此同时',
  '尽管如此',
  '即便如此',
  '因此',
  '所以',
  '于是',
  '此外',
  '另外',
  '而且',
  '并且',
  '然而',
  '不过',
  '但是',
  '但',
  '可是',
  '否则',
  '换言之',
] as const;

/** "这一年", "该季度", "这个月": a demonstrative before a span of time names the calendar. */
const CHINESE_TIME = /^(?:这|该|此)(?:一|个)?(?:年|季度|季|月|周|星期|天|日|时期|期间)/;
const CHINESE_OPENS_WITH_REFERENCE = new RegExp(`^(?:${CHINESE_OPENINGS.join('|')})`);

/** What may follow "the same period" (or quarter) when it names its own span. */
const SELF_DATING = String.raw`\s+(?:(?:last|a|the|one)\s+(?:year|quarter)|(?:a\s+)?(?:year|quarter)\s+(?:earlier|ago|before)|(?:of|in)\s+(?:the\s+)?(?:prior|previous|preceding|last|\d{4})|(?:of|in)\s+fiscal|\d{4})\b`;

const words = (list: readonly string[]) => list.map((word) => word.replace(/ /g, '\\s+')).join('|');
const OPENS_WITH_REFERENCE = new RegExp(`^(?:${words(BACK_REFERENCES)})\\b(?!\\s+(?:${words(TIME_NOUNS)})\\b)`, 'i');
/** "It is likely that …", "It remains to be seen whether …": an "it" that stands for what follows, not for anything before. */
const EXTRAPOSED_IT =
  /^it\s+(?:is|was|has been|had been|seems|seemed|appears|appeared|remains|remained)\s+(?:[\w-]+\s+){0,3}?(?:that|to|whether|how|why|when)\b/i;
/** "So far", "still higher": openings that look like a connective and are not one. */
const NOT_CONNECTIVE = /^(?:so\s+far|so\s+much|so\s+many|still\s+(?:higher|lower|more|less))\b/i;
const OPENS_WITH_REFERRING_NOUN = new RegExp(`^the\\s+(?:${words(REFERRING_NOUNS)})\\b`, 'i');
const OPENS_WITH_CONNECTIVE = new RegExp(`^(?:${words(CONTINUING_CONNECTIVES)})\\b`, 'i');

const INLINE_REFERENCE = new RegExp(
  `\\b(?:${words(INLINE_BACK_REFERENCES.filter((phrase) => phrase !== 'such' && !phrase.startsWith('the same ')))})\\b` +
    // "As noted, …" points back; "as noted by the analysts" names its source.
    `|\\bas\\s+(?:noted|mentioned|discussed)\\s*,` +
    `|\\bsuch\\b(?!\\s+as\\b|\\s+that\\b)` +
    `|\\bthe\\s+same\\s+(?:period|quarter|time|day)\\b(?!${SELF_DATING})`,
  'i',
);

/**
 * Whether a sentence points back to a sentence before it, so that it needs that sentence beside
 * it: by its opening ("This", "It", "The answer", "But") or by a phrase inside it ("as noted
 * above", "such charges", "the latter").
 */
export function leansOnPrevious(sentence: string): boolean {
  const text = sentence.trim().replace(/^["“'‘(「『（]+/, '');
  if (/^\p{Script=Han}/u.test(text)) return CHINESE_OPENS_WITH_REFERENCE.test(text) && !CHINESE_TIME.test(text);
  if (INLINE_REFERENCE.test(text)) return true;
  if (EXTRAPOSED_IT.test(text) || NOT_CONNECTIVE.test(text)) return false;
  return OPENS_WITH_REFERENCE.test(text) || OPENS_WITH_REFERRING_NOUN.test(text) || OPENS_WITH_CONNECTIVE.test(text);
}

/**
 * Not a sentence that stands as a point: one introducing a list or a quote left out ("The drivers
 * still frame the debate:"), or a list row of labels and short values ("Rating: upgraded to Buy ·
 * Price target: $395", "Fund (DIA): -3.6%").
 */
export function introducesNext(text: string): boolean {
  const trimmed = text.trim().replace(/[.。]$/, '');
  if (/[:：]$/.test(trimmed)) return true;
  const fields = trimmed.split(/\s+[·|•]\s+|;\s+/);
  return fields.every((field) => {
    const match = /^[^:：]{1,80}[:：]\s*(.+)$/.exec(field);
    return match !== null && wordCount(match[1]!) <= LABEL_VALUE_WORDS;
  });
}

/** Words of a value: Chinese writes no spaces, and a Chinese word runs about two characters. */
function wordCount(text: string): number {
  const cjk = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.replace(/\p{Script=Han}+/gu, ' ').trim();
  return (latin ? latin.split(/\s+/).length : 0) + cjk / 2;
}

/** A "label: value" field whose value has at most this many words is a list row, not a sentence. */
const LABEL_VALUE_WORDS = 4;

/**
 * Definite descriptions that stand for a subject named earlier ("The index's close", "The fund
 * returned…"). In a chat answer the question names the subject, so they read; among a research
 * report's findings about several subjects they point at nothing.
 */
export const SUBJECT_STAND_INS = ['the index', 'the fund', 'the company', 'the stock', 'the firm'] as const;
const OPENS_WITH_STAND_IN = new RegExp(`^(?:${words(SUBJECT_STAND_INS)})(?:'s|’s)?\\b`, 'i');

/**
 * Whether a quoted sentence reads on its own: it leans on no sentence before it and introduces
 * none after it; with `subjectStandIns`, it also does not open with "the index" for a subject
 * named elsewhere. The one rule for chat answers and research findings.
 */
export function standsAlone(sentence: string, options: { subjectStandIns?: boolean } = {}): boolean {
  if (leansOnPrevious(sentence) || introducesNext(sentence)) return false;
  return !(options.subjectStandIns && OPENS_WITH_STAND_IN.test(sentence.trim()));
}
