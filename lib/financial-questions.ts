/**
 * The language of financial questions, as data: which words ask for which operation, and the
 * standard ratios with their textbook formulas. Read by the offline engine's question reader and
 * by the `compute` tool's descriptions; no other module keeps these words.
 *
 * Where the knowledge comes from: the operation phrasing is the general vocabulary of analyst and
 * exam questions over statements ("percentage change", "as a percentage of", "CAGR"); the ratio
 * formulas are the textbook definitions (CFA Institute, "Financial Reporting and Analysis",
 * ratio analysis chapter; the variants a formula has are stated with it).
 */
export type Operation =
  | 'value'
  | 'change'
  | 'percent_change'
  | 'average'
  | 'sum'
  | 'difference'
  | 'ratio'
  | 'share'
  | 'cagr'
  | 'largest'
  | 'smallest'
  | 'count'
  | 'formula';

/**
 * The words of the grammar, each list kept once: the cues below are built from them, so a word
 * added here (a new way to say "a change" or "a percentage") is read by every form that uses it.
 * - CHANGE_NOUN: what a change between periods is called ("the decline in …", "a 5% reduction");
 * - CHANGE_VERB: how a question says something moved ("rose", "went down", "has fallen");
 * - PERCENT_WORD: how a question says "in percent" ("percentage", "per cent", "%").
 */
const CHANGE_NOUN = 'changes?|increases?|decreases?|growth|declines?|rises?|drops?|falls?|reductions?|differences?|gaps?|movements?';
const CHANGE_VERB =
  'change[sd]?|increase[sd]?|decrease[sd]?|gr[eo]w(?:n|th)?|decline[sd]?|risen?|rose|fell|fall(?:en)?|drop(?:s|ped)?(?!-)|(?:go|goes|gone|went) (?:up|down)|movement|variance|improve[sd]?|deteriorat\\w*';
const PERCENT_WORD = '(?:\\bpercent(?:age)?|\\bper cent|%)';

/** Checked in order: the first operation whose cue matches is the question's. */
export const OPERATION_CUES: readonly [Operation, RegExp][] = [
  ['cagr', /\bcagr\b|\bcompound(?:ed)? annual growth\b|\bannuali[sz]ed growth\b/i],
  [
    'percent_change',
    // "the percentage change", "a % decline", "the change (%)", "the percent of increase", "the growth rate", "the rate
    // of decrease", "by what percentage", "how much … in percent", "the relative change".
    new RegExp(
      `${PERCENT_WORD}\\s*(?:of\\s+)?(?:${CHANGE_NOUN})\\b|\\b(?:${CHANGE_NOUN})\\s*\\(\\s*%\\s*\\)|\\b(?:growth|change) rate\\b|\\brate of (?:${CHANGE_NOUN})\\b|\\bby (?:what|how much) ${PERCENT_WORD}(?![a-z])|\\bhow much\\b(?=.*\\bin ${PERCENT_WORD})|\\brelative (?:${CHANGE_NOUN})\\b`,
      'i',
    ),
  ],
  [
    'share',
    /\bas an? (?:percentage|proportion|share|fraction|percent|%) of\b|\b(?:percentage|proportion|share|fraction|portion|percent|%)\s+(?:of|does|did|do|that)\b|\bwhat percent(?:age)?\b|\bconstitut\w*\b|\baccount(?:s|ed)? for\b(?!\s+(?:using|under|as|by|at|in accordance|on)\b)/i,
  ],
  ['ratio', /\bratio\b|\bdivided by\b|\bmultiple of\b|\btimes (?:larger|greater|higher)\b/i],
  ['average', /\baverage\b|\bmean\b/i],
  ['difference', /\bdifference\b|\bgap\b|\bhow much (?:more|less|higher|lower|greater)\b/i],
  // "How much did X in 2019 exceed that in 2018" is a change; "exceed $30,000" is a threshold.
  ['change', new RegExp(`\\b(?:${CHANGE_VERB})\\b|(?<=\\bhow much\\b.*)\\bexceed(?:s|ed)?\\b(?!\\s*[$€£¥]?\\s*\\d)`, 'i')],
  // "in total" closes a phrase ("… in 2019 in total?"); "the change in Total operating income" names a row.
  [
    'sum',
    /\bsum\b|\bcombined\b|\baltogether\b|\bin total\b(?!\s+(?!(?:for|in|of|during|over|across|at|as|between|from)\b)[a-z(])|\btotal (?:of|amount of|value of)\b(?=.*\band\b)/i,
  ],
  ['count', /\bhow many\b|\bnumber of (?:years|items|segments|quarters|categories|types)\b/i],
  ['largest', /\b(?:largest|highest|biggest|greatest|most|maximum|peak|top)\b/i],
  ['smallest', /\b(?:smallest|lowest|least|minimum|fewest)\b/i],
];

/**
 * Operation words that are part of a line item's name, not the operation asked: "weighted-average
 * shares", and an operation word right after another one ("the change in the average life
 * expectancy" asks for a change of a row named "average …"). Masked before the cues are read.
 */
export const OPERATION_WORDS_IN_NAMES: readonly RegExp[] = [
  /\bweighted[- ]average\b/gi,
  new RegExp(`(?<=\\b(?:${CHANGE_NOUN})\\s+(?:in|of)\\s+(?:the\\s+)?)(?:average|mean)\\b`, 'gi'),
];

/**
 * Operations over operations, as analysts phrase them. Each form names the outer operation, the
 * inner one applied to each line item or period first, and the phrasing that asks for it; the
 * pattern runs on the question with its periods replaced by "§" and yields the line items.
 * - difference_of_averages: "the difference between the (2019) average X and the average Y":
 *   average(X) − average(Y), each over the periods asked (one year: its opening and closing);
 * - change_of_ratio: "the change in the ratio (proportion, percentage) of X to Y from 2018 to
 *   2019": X/Y in the later period − X/Y in the earlier (percentage points for shares);
 * - average_of_changes: "the average annual change in X from 2017 to 2019": the mean of the
 *   period-on-period changes (the compute tool's formula shows each one);
 * - share_of_sum: "the proportion of X and Y in Z": (X + Y) ÷ Z × 100, when no single row is
 *   named "X and Y".
 */
export type CompoundForm = 'difference_of_averages' | 'change_of_ratio' | 'average_of_changes' | 'share_of_sum';

export const COMPOUND_FORMS: readonly { form: CompoundForm; pattern: RegExp }[] = [
  {
    form: 'difference_of_averages',
    pattern:
      /\b(?:difference|gap) between (?:the )?(?:§\s*)?(?:average|mean) (?:of |for )?(?:the )?(.+?) and (?:the )?(?:§\s*)?(?:average|mean) (?:of |for )?(?:the )?(.+)$/i,
  },
  {
    form: 'change_of_ratio',
    pattern: new RegExp(
      `\\b(?:${CHANGE_NOUN}) in (?:the )?(?:ratio|proportion|share|percentage|fraction) of (.+?) (?:to|in|of|over|out of|as a percentage of|relative to|against|divided by) (?:the )?(.+)$`,
      'i',
    ),
  },
  {
    form: 'average_of_changes',
    pattern: new RegExp(`\\baverage (?:annual |yearly |quarterly )?(?:${CHANGE_NOUN}) (?:in|of) (?:the )?(.+)$`, 'i'),
  },
];

/**
 * Clauses that say in which unit to answer ("(in percentage)", ", in thousands,"): neither a line
 * item nor an operation, so they are removed before the items are read.
 */
export const UNIT_CLAUSES: readonly RegExp[] = [
  /\(\s*(?:in|as an?|expressed in)\s+(?:percentages?|percent|%|thousands?|millions?|billions?|basis points|decimals?|[$€£¥]\s*\w*)\s*\)/gi,
  /,\s*(?:in|as an?|expressed in)\s+(?:percentages?|percent|%|thousands?|millions?|billions?|basis points|decimals?)\s*(?:,|(?=\?|$))/gi,
  // The same clause closing the question without a comma ("… from 2018 to 2019 in percentage?"),
  // or "in terms of" a unit ("… in terms of $M").
  /\s(?:in|as an?|expressed in|in terms of)\s+(?:percentages?(?: terms)?|percent(?: terms)?|%|thousands?|millions?|billions?|basis points|decimals?|[$€£¥]\s*[a-z]{0,2})\s*(?=\?*\s*$)/gi,
];

/** Words of a line item that name a percentage or a rate, not an amount ("gross margin", "tax rate"). */
export const PERCENT_ITEM = /%|\bpercent|\bproportion|\bshare\b|\bratio\b|\bmargin\b|\brate\b|\byield\b|\breturn\b/i;

/**
 * Balances that tables print as deductions though their balance is a size: contra accounts
 * (allowances, accumulated depreciation and amortisation, netted against the assets they reduce)
 * and liabilities netted against assets in a net position. A sum or an average of them adds sizes.
 */
export const DEDUCTION_BALANCE = /\ballowances?\b|\baccumulated (?:depreciation|amorti[sz]ation|impairment)|\bliabilit(?:y|ies)\b/i;

/**
 * "How much did X increase by", "by how much did X fall": the size of the movement, its direction
 * said in words (a cost printed in parentheses that grew is an increase, whatever its sign).
 */
export const BY_HOW_MUCH = new RegExp(
  `\\bhow much (?:did|has|have|had|was|were|does|do)\\b.*\\b(?:${CHANGE_VERB})\\s+by\\b|\\bby how much\\b(?!\\s+${PERCENT_WORD})`,
  'i',
);

/**
 * "How many percent did X change", "by how many percentage points": a change in percentage points
 * when X is itself a percentage (the answer stage checks the cells' unit).
 */
export const POINTS_CUE = new RegExp(`\\bhow many percent(?:age points?)?\\b.*\\b(?:${CHANGE_VERB})\\b|\\bpercentage points?\\b|\\bby how many points\\b`, 'i');

/** Comparison words printed against the figure they compare with ("less than15,000"): a space is put back. */
export const GLUED_COMPARISON = /\b(than|under|over|above|below|exceed(?:s|ed|ing)?|least|most)(?=[$€£¥]?\d)/gi;

/**
 * "The difference in X between A and B": an operation over two things (A and B) that share a
 * subject X. A and B are rows and X their column ("the fair value between technology and
 * trademarks"), or A and B are columns of the row X ("the gross carrying amount between the current
 * and the total"); the answer stage decides which from the table. Runs on the question with its
 * periods replaced by "§", so "between 2018 and 2019" never reads as two items.
 */
export const SUBJECT_BETWEEN =
  /\b(?:difference|gap|change|ratio|sum|total|average|percentage change|percent change)\s+(?:in|of|for)\s+(?:the\s+)?(.+?)\s+between\s+(?:the\s+)?(.+?)\s+and\s+(?:the\s+)?(.+)$/i;

/**
 * A question that adds up (or averages) the several rows one phrase names, not one row over its
 * periods: "the sum of all tax credit carryforwards", "the net total for both finite-lived and
 * indefinite-lived assets", "the total X" when the table splits X into current and non-current.
 * Runs on the question with its periods replaced by "§" ("both § and §" asks about periods).
 */
export const OVER_ITEMS = /\b(?:all|each|every|both)\b(?!\s+(?:of\s+the\s+)?(?:§|years?|periods?|quarters?|fiscal))/i;
export const TOTAL_CUE = /\b(?:total|combined|altogether|in all|together)\b/i;

/**
 * "The average annual X for 2020-2024", "X per year over the period": an average per year, for
 * which a figure of a span of years (a maturity table's "2021-2022") counts once for each year it covers.
 */
export const PER_YEAR_CUE = /\b(?:average annual|annual average|per year|a year|each year|yearly|per annum)\b/i;

/**
 * "The difference in X between 2018 and 2019" asks for the gap between two periods, a size: the
 * answer states it without a sign and says in words which way the figure moved. "From 2018 to
 * 2019", a "net difference", a "change", an "increase" or a "percentage difference" keep the sign.
 * Runs on the question with its periods replaced by "§".
 */
export const GAP_CUE = /\b(?:difference|gap)\b(?!\s+between\b).*\b(?:between|in|for)\s+§\s*and\s+§/i;
/**
 * "The difference between A and B" of two line items is a size too (which is larger is said in
 * words); "how much more (less) A than B" gives the direction and keeps the sign.
 */
export const ITEM_GAP_CUE = /\b(?:difference|gap)\b/i;
export const SIGNED_DIFFERENCE = /\b(?:net|percent(?:age)?|relative)\s+(?:difference|gap)\b/i;

/**
 * How a share or a ratio names its part and its whole, as a small grammar (read-question.ts walks
 * it): the nouns that ask for a share, the phrasings that name the whole first ("what percentage of
 * [whole] is made up of [part]"), those that name the part first ("[part] as a percentage of
 * [whole]", "[part] accounts for [whole]"), and, for "the percentage of [part] in [whole]", the
 * words that divide a part from its whole ranked by how surely they do: before a "total" any of
 * them; "over", "out of", "relative to" only ever divide; "in", "among" usually; "of", "to",
 * "from" as often join the words of one item ("the exchange rate of the krona"). In a ratio, "to"
 * divides ("the ratio of A to B"). A divider between numbers ("three to six months") or before one
 * ("due in 5 years") names a bucket, not a whole.
 */
const SHARE_NOUNS = 'percentage|proportion|share|fraction|portion|percent|%|ratio';
export const SHARE_NOUN = `(?:${SHARE_NOUNS})`;
export const WHOLE_FIRST: readonly RegExp[] = [
  new RegExp(
    `\\bwhat ${SHARE_NOUN}\\s+of\\s+(?:the\\s+)?(?<whole>.+?)\\s+(?:(?:is|was|are|were)\\s+(?:(?:made up|comprised|composed|represented|accounted for|contributed|derived|generated|earned|based|held|located)\\s+(?:of|by|from|in)\\s+|attribut(?:able|ed) to\\s+|(?:from|in|by)\\s+)?|(?:came|comes|come|arose|arises|originated)\\s+(?:from|in)\\s+)(?<part>.+)$`,
    'i',
  ),
  new RegExp(
    `^what ${SHARE_NOUN}\\s+of\\s+(?:the\\s+)?(?<whole>.+?)\\s+(?:does|did|do)\\s+(?<part>.+?)\\s+(?:account for|make up|constitute|represent|comprise|contribute)$`,
    'i',
  ),
  // "What is the percentage of revenue that is cost of sales", unless the part then names its own
  // whole ("… of loans that are past due in the total loans": a divider splits that one).
  new RegExp(
    `^what (?:is|was|are|were) the ${SHARE_NOUN}\\s+of\\s+(?:the\\s+)?(?<whole>.+?)\\s+(?:that|which)\\s+(?:(?:is|was|are|were)\\s+(?:(?:made up|comprised|composed|represented|accounted for|contributed|derived|generated|earned)\\s+(?:of|by|from|in)\\s+|attribut(?:able|ed) to\\s+|(?:from|in|by)\\s+)?|(?:came|comes|come|arose|arises|originated)\\s+(?:from|in)\\s+)(?<part>(?:(?!\\s(?:in|of|to|among|within|over)\\s+(?:the\\s+)?total\\b).)+)$`,
    'i',
  ),
];
export const PART_FIRST: readonly RegExp[] = [
  new RegExp(`^(?<part>.+?)\\s+(?:expressed\\s+)?as an?\\s+(?:${SHARE_NOUNS}|multiple)\\s+of\\s+(?<whole>.+)$`, 'i'),
  /^(?<part>.+?)\s+(?:constitut\w*|account(?:s|ed)? for|make(?:s)? up|made up|represent(?:s|ed)?)\s+(?:of\s+)?(?<whole>.+)$/i,
];
export const WHOLE_DIVIDERS: readonly [rank: number, divider: RegExp][] = [
  [0, /\s(?:in|of|to|over|out of|within|among|from|relative to|compared to|against|divided by)\s+(?=(?:the\s+)?total\b)/gi],
  [1, /\s(?:over|out of|relative to|divided by|compared (?:to|with)|against)\s+/gi],
  [2, /\s(?:in|within|among|amongst)\s+/gi],
  [3, /\s(?:of|to|from)\s+/gi],
];
/** Words around a divider that make it a bucket's range ("three to six months", "due in 5 years"). */
export const RANGE_WORD = /^(?:\d[\d,.]*|§|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirty|sixty|ninety)$/i;

/**
 * "Net income per share", "cost per employee": an amount per unit, which a report prints as a row
 * of its own or leaves for the reader to divide (the amount ÷ the count of units). Units of time
 * ("per annum", "per month") name a rate, not a division.
 */
export const PER_UNIT = /^(?<amount>.+?)\s+per\s+(?!(?:annum|year|month|week|day|hour|cent)\b)(?<unit>[a-z][a-z -]*)$/i;

/**
 * "The total value of the outstanding shares", "the price of the options granted": a count of
 * units times a price per unit, which equity tables print side by side (a "Number of shares"
 * column beside a "Weighted-average exercise price per share" column). A question that asks for the
 * price per unit itself ("the exercise price per share", "the weighted-average price") is a value.
 */
export const PRODUCT_CUE =
  /\b(?:value|price|cost|worth|proceeds|consideration)\s+of\s+(?:the\s+|all\s+)?(?:[a-z-]+\s+){0,3}?(?:shares|options|units|warrants|rsus|psus|awards)\b/i;
export const PER_UNIT_PRICE =
  /\bper\s+(?:share|unit|option|award)\b|\b(?:weighted[- ]average|average|exercise|grant[- ]date|unit)\s+(?:exercise\s+)?(?:price|value|fair value)\b/i;
/** Words that make a row an amount of money, never a count of units to divide by. */
export const AMOUNT_WORDS =
  /\b(?:costs?|expenses?|revenues?|sales|income|earnings|charges?|fees?|payments?|benefits?|prices?|values?|amounts?|profits?|loss(?:es)?)\b/i;

/** Column headers of a count of units, and of a price per unit, in the tables that pair them. */
export const COUNT_COLUMN = /\b(?:number|shares|units|options|quantity|awards|warrants)\b/i;
export const UNIT_PRICE_COLUMN = /\bprice\b|\bper\s+(?:share|unit|option|award)\b|\bfair value\b/i;

/** A line-item phrase that joins two items ("deferred revenue and accrued warranty"), for share_of_sum. */
export const ITEM_JOINER = /\s+(?:and|plus|together with)\s+/i;

/** Words that start a yes/no question. */
export const YES_NO_START = /^\s*(?:did|does|do|is|was|were|are|has|have|had|will|can|could)\b/i;

/** What a yes/no question compares: a direction of change, or a level against a threshold. */
export const COMPARISON_CUES: readonly [direction: 'increase' | 'decrease' | 'above' | 'below', pattern: RegExp][] = [
  ['above', /\b(?:above|over|exceed(?:s|ed)?|more than|greater than|higher than|at least)\b/i],
  ['below', /\b(?:below|under|less than|lower than|at most)\b/i],
  ['increase', /\b(?:increase[sd]?|gr[eo]w(?:n)?|rise|rose|risen|improve[sd]?|went up|expand(?:ed)?|higher)\b/i],
  ['decrease', /\b(?:decrease[sd]?|decline[sd]?|fall|fell|fallen|drop(?:ped)?|shrank|shrunk|deteriorat\w*|worsen(?:ed)?|went down|lower)\b/i],
];

/** Words of a question that are neither line item nor period: the question's grammar and filler. */
export const QUESTION_FILLER = new Set(
  (
    'what whats was is are were did does do how much many which when where who in the a an of for from to between and or by at on with ' +
    "during over across as its it their his her company company's group group's firm firm's entity entity's amount amounts value values figure figures " +
    'number reported respectively year years fiscal fy period periods ended ending end as at compared versus vs than there that this these those ' +
    'then be been being has have had any all each both cent percent percentage proportion ratio change changes increase increased decrease decreased ' +
    'average mean sum difference growth nominal absolute approximately approx about roughly will would could should can please ' +
    'tell me give show calculate compute find year-on-year yoy y-o-y'
  ).split(/\s+/),
);

/**
 * Standard ratios with their textbook formulas over line-item ids (lib/line-items.ts). `formula`
 * names items as variables; `alternatives` are used in order when the document lacks an item of
 * the preferred formula, and `variant` says which definition the answer used.
 */
export interface StandardRatio {
  id: string;
  names: RegExp;
  label: string;
  formulas: { formula: string; variant: string }[];
  unit: '%' | 'x' | 'days' | 'amount';
}

export const STANDARD_RATIOS: readonly StandardRatio[] = [
  {
    id: 'gross_margin',
    names: /\bgross (?:profit )?margin\b/i,
    label: 'gross margin',
    unit: '%',
    formulas: [
      { formula: 'gross_profit / revenue * 100', variant: 'gross profit ÷ revenue' },
      { formula: '(revenue - cost_of_revenue) / revenue * 100', variant: '(revenue − cost of revenue) ÷ revenue' },
    ],
  },
  {
    id: 'operating_margin',
    names: /\b(?:operating|ebit) margin\b/i,
    label: 'operating margin',
    unit: '%',
    formulas: [{ formula: 'operating_income / revenue * 100', variant: 'operating income ÷ revenue' }],
  },
  {
    id: 'net_margin',
    names: /\b(?:net (?:profit |income )?margin|profit margin)\b/i,
    label: 'net margin',
    unit: '%',
    formulas: [{ formula: 'net_income / revenue * 100', variant: 'net income ÷ revenue' }],
  },
  {
    id: 'current_ratio',
    names: /\bcurrent ratio\b/i,
    label: 'current ratio',
    unit: 'x',
    formulas: [{ formula: 'current_assets / current_liabilities', variant: 'current assets ÷ current liabilities' }],
  },
  {
    id: 'quick_ratio',
    names: /\b(?:quick|acid[- ]test) ratio\b/i,
    label: 'quick ratio',
    unit: 'x',
    formulas: [
      {
        formula: '(cash + short_term_investments + receivables) / current_liabilities',
        variant: '(cash + short-term investments + receivables) ÷ current liabilities',
      },
      { formula: '(cash + receivables) / current_liabilities', variant: '(cash + receivables) ÷ current liabilities' },
      { formula: '(current_assets - inventory) / current_liabilities', variant: '(current assets − inventories) ÷ current liabilities' },
    ],
  },
  {
    id: 'working_capital',
    names: /\bworking capital\b/i,
    label: 'working capital',
    unit: 'amount',
    formulas: [{ formula: 'current_assets - current_liabilities', variant: 'current assets − current liabilities' }],
  },
  {
    id: 'debt_to_equity',
    names: /\bdebt[- ]to[- ]equity\b|\bgearing\b|\bleverage ratio\b/i,
    label: 'debt-to-equity ratio',
    unit: 'x',
    formulas: [
      { formula: 'total_debt / equity', variant: 'total debt ÷ shareholders’ equity' },
      { formula: '(long_term_debt + short_term_debt) / equity', variant: '(long-term + short-term debt) ÷ shareholders’ equity' },
      { formula: 'long_term_debt / equity', variant: 'long-term debt ÷ shareholders’ equity' },
      { formula: 'total_liabilities / equity', variant: 'total liabilities ÷ shareholders’ equity' },
    ],
  },
  {
    id: 'roa',
    names: /\breturn on (?:total )?assets\b|\broa\b/i,
    label: 'return on assets',
    unit: '%',
    formulas: [{ formula: 'net_income / total_assets * 100', variant: 'net income ÷ end-of-period total assets' }],
  },
  {
    id: 'roe',
    names: /\breturn on (?:shareholders'? |stockholders'? )?equity\b|\broe\b/i,
    label: 'return on equity',
    unit: '%',
    formulas: [{ formula: 'net_income / equity * 100', variant: 'net income ÷ end-of-period shareholders’ equity' }],
  },
  {
    id: 'asset_turnover',
    names: /\basset turnover\b/i,
    label: 'asset turnover',
    unit: 'x',
    formulas: [{ formula: 'revenue / total_assets', variant: 'revenue ÷ end-of-period total assets' }],
  },
  {
    id: 'inventory_turnover',
    names: /\binventory turnover\b/i,
    label: 'inventory turnover',
    unit: 'x',
    formulas: [{ formula: 'cost_of_revenue / inventory', variant: 'cost of revenue ÷ end-of-period inventories' }],
  },
  {
    id: 'dso',
    names: /\bdays sales outstanding\b|\bdso\b|\bdays receivables?\b/i,
    label: 'days sales outstanding',
    unit: 'days',
    formulas: [{ formula: 'receivables / revenue * 365', variant: 'receivables ÷ revenue × 365 days' }],
  },
  {
    id: 'capex_to_revenue',
    names: /\bcapex (?:to|as a (?:percentage|share) of) (?:revenue|sales)\b|\bcapital expenditures? (?:to|as a (?:percentage|share) of) (?:revenue|sales)\b/i,
    label: 'capital expenditure as a share of revenue',
    unit: '%',
    formulas: [{ formula: 'capex / revenue * 100', variant: 'capital expenditure ÷ revenue' }],
  },
  {
    id: 'free_cash_flow',
    names: /\bfree cash flow\b|\bfcf\b/i,
    label: 'free cash flow',
    unit: 'amount',
    formulas: [{ formula: 'operating_cash_flow - capex', variant: 'operating cash flow − capital expenditure' }],
  },
  {
    id: 'effective_tax_rate',
    names: /\beffective tax rate\b/i,
    label: 'effective tax rate',
    unit: '%',
    formulas: [{ formula: 'income_tax / pretax_income * 100', variant: 'income tax expense ÷ income before income taxes' }],
  },
  {
    id: 'payout_ratio',
    names: /\b(?:dividend )?payout ratio\b/i,
    label: 'dividend payout ratio',
    unit: '%',
    formulas: [{ formula: 'dividends / net_income * 100', variant: 'dividends ÷ net income' }],
  },
];

/**
 * Capitalised words of a question that are not names: statement and market abbreviations, currency
 * codes and reporting terms. A question may use them whether or not a document spells them out,
 * so they never make a question "about something the knowledge base lacks".
 */
export const GENERIC_CAPITALISED = new Set(
  (
    'usd eur gbp jpy cny rmb chf cad aud hkd inr cogs ebit ebitda eps dps gaap ifrs p&l pnl sg&a r&d capex opex fcf roe roa roic cagr yoy qoq ' +
    'fy ytd ttm ltm nav aum bps kpi ceo cfo coo cto esg ipo m&a etf ai us u.s uk eu ' +
    'total net other others gross operating income revenue revenues sales assets liabilities equity cash debt profit loss ' +
    'has have had did does do is are was were what which who how why when where can could should would will'
  ).split(/\s+/),
);

/**
 * How reports and analyses write explanations and risks, whatever the company or market: the
 * connectives of causal prose ("because", "due to", "driven by", "as a result of", "attributable
 * to") and the modal and hedging language of risk disclosure ("could", "may", "uncertain",
 * "adverse", "exposure"), as SEC Regulation S-K Item 303 (MD&A: explain the causes of changes) and
 * Item 105 (risk factors) ask filers to write them; the Chinese alternatives are the same connectives
 * and hedges as Chinese financial prose writes them ("由于", "得益于"; "可能", "若", "承压"). Used to prefer sentences that explain, or that
 * flag a risk, when a question asks "why" or "what are the risks"; never a topic's own words.
 */
export const EXPLANATION_LANGUAGE =
  /\b(?:because|due to|driven by|drove|driv(?:er|ers|ing)|as a result of|result(?:ed|s)? (?:from|in)|attributable to|attribut(?:ed|es) to|owing to|thanks to|led by|reflect(?:s|ed|ing)?|primarily|mainly|largely|on the back of|contribut(?:ed|ing) to|caused by|reason(?:s)?|factors?|helped|boosted|supported by|fuel(?:ed|led)|tailwinds?|benefit(?:ed|ing)? from)\b|因为|由于|推动|带动|因素|原因|导致|造成|得益于|受益于|归因于|源于|驱动|拖累|使得/gi;
export const RISK_LANGUAGE =
  /\b(?:risks?|could|may|might|uncertain\w*|adverse\w*|exposure|exposed|vulnerab\w*|headwinds?|pressure[sd]?|threat\w*|downside|volatil\w*|decline\w*|weak\w*|depend\w*|caution\w*|warn\w*|fail\w*|unable|impair\w*|deteriorat\w*|reverse|reversal)\b|风险|可能|或将|如果|若|一旦|警惕|担忧|压力|承压|下行|不确定|减弱|推迟|落空/gi;
/** Headings that place a sentence in an explanation or a risk discussion (Chinese: the same words as Chinese reports head them). */
export const RISK_HEADING = /risk|caution|downside|threat|headwind|uncertaint|风险|警惕|隐患/i;
export const EXPLANATION_HEADING = /driver|driving|why|cause|catalyst|factor|behind|explan|discussion|results of operations|原因|因素|驱动|为什么/i;

/** Questions that ask for a description, a reason or a method, not a figure: answered by sentences. */
export const DESCRIPTION_QUESTION =
  /^\s*(?:why\b|how (?!much\b|many\b|long\b|big\b|large\b)\w+|what (?:does|do|did)\b|what (?:is|are|was|were) (?:the )?(?:reason|purpose|method|basis|policy|definition|nature|impact|effect)s?\b|explain\b|describe\b)/i;
