/**
 * How financial prose states an answer, as data: the connective after which a sentence gives a
 * reason, a composition, a method or a definition, keyed by the kind of question that asks for it.
 * Read by the offline engine's span extraction (server/chat/offline/extract-span.ts); no other
 * module keeps these words.
 *
 * Where the knowledge comes from: the connectives are the standard wording of annual reports'
 * management discussion and notes ("primarily due to", "consists of", "is calculated as",
 * "represents"), as the SEC's plain-English guidance and IFRS/US GAAP note templates write them.
 * They name no company, figure or line item.
 */
export type SpanKind = 'reason' | 'composition' | 'method' | 'definition' | 'purpose';

/** Question shapes, checked in order; the first that matches says which kind of span answers. */
export const SPAN_QUESTIONS: readonly [SpanKind, RegExp][] = [
  [
    'reason',
    /^\s*why\b|\b(?:what|which) (?:\w+ ){0,2}(?:drove|caused|led to|resulted in|contributed to|accounted for the)\b|\b(?:reasons?|drivers?|causes?|factors?) (?:for|behind|of|that)\b|\bwhat (?:is|are|was|were) (?:the )?(?:\w+ ){0,6}(?:primarily |mainly )?(?:due|attributable|attributed) to\s*\??\s*$|\bwhat (?:is|are|was|were) (?:the )?(?:\w+ ){0,6}(?:primarily |mainly )?(?:driven|caused) by\s*\??\s*$/i,
  ],
  [
    'composition',
    /\bwhat (?:does|do|did) (?:the )?(?:\w+ ){0,6}(?:include|consist|comprise|contain|cover|represent)s?\b|\bwhat (?:is|are|was|were) (?:\w+ ){0,6}(?:included|contained|comprised) in\b|\bwhat (?:is|are|was|were) (?:the )?(?:\w+ ){0,6}(?:primarily |mainly )?(?:related|relating) to\b|\bwhat (?:is|are) (?:the )?(?:components?|elements?|items?) of\b/i,
  ],
  [
    'method',
    /^\s*how (?:is|are|was|were|does|do|did) (?:the )?(?:\w+ ){0,6}(?:calculated|computed|determined|measured|derived|estimated|defined|estimate|calculate|determine|measure)\b/i,
  ],
  ['purpose', /\bwhat (?:is|was) the (?:purpose|objective|aim) of\b|\bwhy (?:is|are|was|were|does|do) .*\b(?:used|presented|disclosed|analy[sz]ed)\b/i],
  [
    'definition',
    /\bwhat (?:is|are|was|were) (?:the )?(?:definition|meaning) of\b|\bwhat (?:is|was) meant by\b|\bwhat (?:does|do) (?:the )?(?:term )?[\w\s"“”'’-]{2,40} (?:mean|refer to)\b/i,
  ],
];

/**
 * The connectives that open the answering clause, per kind of span, longest first so "primarily
 * due to" wins over "due to". The clause runs from after the connective to the sentence's end.
 */
export const SPAN_CONNECTIVES: Record<SpanKind, readonly string[]> = {
  reason: [
    'primarily as a result of',
    'mainly as a result of',
    'largely as a result of',
    'as a result of',
    'primarily attributable to',
    'mainly attributable to',
    'attributable to',
    'attributed to',
    'primarily due to',
    'mainly due to',
    'largely due to',
    'partly due to',
    'due to',
    'primarily driven by',
    'mainly driven by',
    'largely driven by',
    'driven by',
    'because of',
    'because',
    'owing to',
    'resulting from',
    'reflecting',
    'caused by',
  ],
  composition: [
    'consists primarily of',
    'consist primarily of',
    'consisted primarily of',
    'consists mainly of',
    'consist mainly of',
    'consists of',
    'consist of',
    'consisted of',
    'comprises',
    'comprise',
    'comprised of',
    'comprised',
    'primarily includes',
    'primarily include',
    'includes',
    'include',
    'included',
    'including',
    'are primarily related to',
    'is primarily related to',
    'were primarily related to',
    'was primarily related to',
    'primarily related to',
    'relate primarily to',
    'relates primarily to',
    'related to',
    'relate to',
    'relates to',
    'represent',
    'represents',
  ],
  method: [
    'is calculated as',
    'are calculated as',
    'is calculated by',
    'are calculated by',
    'calculated by',
    'calculated as',
    'is computed as',
    'computed as',
    'is determined by',
    'are determined by',
    'determined by',
    'is determined using',
    'determined using',
    'is measured as',
    'measured as',
    'is measured at',
    'measured at',
    'is defined as',
    'defined as',
    'using',
    'based on',
    'by',
  ],
  purpose: ['in order to', 'to assess', 'to provide', 'to measure', 'to evaluate', 'for the purpose of', 'for'],
  definition: ['is defined as', 'are defined as', 'defined as', 'refers to', 'refer to', 'represents', 'represent', 'means', 'is the', 'are the', 'is'],
};

/**
 * Questions answered by a list read off a table, not by one figure: the periods a table covers
 * ("In which years was X provided?"), the rows that make up a section ("What are the components of
 * X?"), and how many such rows there are ("How many types of X are there?"). A question that
 * compares with a level or asks for an extreme is not a list of this kind.
 */
export const LIST_QUESTIONS = {
  periods:
    /^\s*(?:(?:in|for) )?(?:which|what) (?:years|periods|fiscal years)\b|\bwhat (?:are|were) the (?:years|periods|fiscal years)\b|\bwhich (?:years|periods) does the table\b/i,
  members:
    /\b(?:what|which) (?:are|were) (?:the )?(?:(?:\w+ ){0,2})?(?:components|types|categories|items|elements|segments|regions|countries|classes|kinds|sources|currencies|line items)\b|\bwhat (?:\w+ ){0,2}(?:types|kinds|categories|items|components) (?:of [\w\s,'’-]+? )?(?:are|were|does|do|did) |\bwhich (?:\w+ ){0,2}(?:countries|regions|segments|items|categories|currencies) (?:are|were) (?:shown|listed|included|presented|in)\b|\bwhat (?:are|were) the components (?:making up|that make up|of)\b/i,
  count:
    /\bhow many (?:\w+ ){0,2}(?:types|kinds|categories|components|items|elements|segments|classes|regions|countries|assumptions|sources|levels|tiers|groups|officers|executives)\b/i,
};

/** A comparison or an extreme makes a "which years" question a lookup over values, not a list of periods. */
export const COMPARES_VALUES =
  /\b(?:than|above|below|exceed\w*|over|under|highest|lowest|largest|smallest|higher|lower|larger|bigger|greater|more|less|most|least|increase\w*|decrease\w*|change\w*)\b/i;

/** Words of a list question that name the kind of list, not its subject. */
export const LIST_WORDS =
  /\b(?:components?|types?|categories|category|items?|elements?|segments?|regions?|countries|classes|kinds?|sources?|currencies|line|financial|table|listed|shown|presented|included|provided|calculated|recorded|disclosed|making|make|up|under|consist\w*|comprise\w*|there|considered|factored|years?|periods?)\b/gi;
