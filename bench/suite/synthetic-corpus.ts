import type { ParsedArticle } from '../../kb/types.ts';
import { createRandom, type Random } from './random.ts';

/**
 * A generated financial-news corpus for load tests: articles about many (made-up) companies across
 * sectors, each passage about 150 words of varied sentences (results, guidance, valuation, market
 * moves, rates, deals), with enough names, figures and phrasing that BM25 sees a realistic,
 * long-tailed vocabulary rather than a handful of repeated words. Deterministic for a given seed.
 */

export const CORPUS_DEFAULTS = {
  seed: 20_260_221,
  passagesPerArticle: 10,
  /** Passages stop growing at the first sentence that takes them past this many words. */
  wordsPerPassage: 145,
};

interface Sector {
  name: string;
  kind: string;
  metrics: string[];
  products: string[];
}

const SECTORS: Sector[] = [
  {
    name: 'regional banks',
    kind: 'Bancorp',
    metrics: ['net interest margin', 'deposit costs', 'loan growth', 'credit provisions', 'tangible book value'],
    products: ['commercial real estate lending', 'mortgage servicing', 'treasury management', 'wealth advisory'],
  },
  {
    name: 'semiconductors',
    kind: 'Semiconductor',
    metrics: ['wafer starts', 'design wins', 'gross margin', 'inventory days', 'data-center revenue'],
    products: ['AI accelerators', 'analog chips', 'memory modules', 'power management parts'],
  },
  {
    name: 'oil producers',
    kind: 'Energy',
    metrics: ['production volumes', 'breakeven costs', 'refining margins', 'reserve life', 'lifting costs'],
    products: ['Permian acreage', 'offshore platforms', 'natural gas liquids', 'LNG contracts'],
  },
  {
    name: 'utilities',
    kind: 'Power',
    metrics: ['rate base growth', 'allowed returns', 'load growth', 'fuel costs', 'capital spending'],
    products: ['transmission lines', 'battery storage', 'gas distribution', 'solar farms'],
  },
  {
    name: 'retailers',
    kind: 'Retail',
    metrics: ['same-store sales', 'inventory turns', 'markdowns', 'online penetration', 'basket size'],
    products: ['private-label groceries', 'home furnishings', 'apparel', 'pharmacy services'],
  },
  {
    name: 'biotech',
    kind: 'Therapeutics',
    metrics: ['trial enrollment', 'cash runway', 'milestone payments', 'royalty revenue', 'approval timelines'],
    products: ['obesity drugs', 'gene therapies', 'oncology antibodies', 'rare-disease treatments'],
  },
  {
    name: 'airlines',
    kind: 'Airways',
    metrics: ['load factor', 'unit revenue', 'jet fuel costs', 'capacity growth', 'premium cabin demand'],
    products: ['transatlantic routes', 'loyalty programs', 'cargo operations', 'regional feeder flights'],
  },
  {
    name: 'homebuilders',
    kind: 'Homes',
    metrics: ['net orders', 'cancellation rates', 'incentive spending', 'lot inventory', 'closing margins'],
    products: ['entry-level houses', 'build-to-rent communities', 'mortgage origination', 'land banking'],
  },
  {
    name: 'insurers',
    kind: 'Insurance',
    metrics: ['combined ratio', 'catastrophe losses', 'reserve releases', 'premium growth', 'investment income'],
    products: ['commercial property cover', 'auto policies', 'reinsurance treaties', 'annuities'],
  },
  {
    name: 'railroads',
    kind: 'Rail',
    metrics: ['operating ratio', 'carload volumes', 'intermodal revenue', 'train speed', 'fuel surcharge revenue'],
    products: ['coal shipments', 'grain hauling', 'automotive freight', 'container traffic'],
  },
  {
    name: 'software',
    kind: 'Software',
    metrics: ['annual recurring revenue', 'net retention', 'billings', 'customer churn', 'remaining performance obligations'],
    products: ['cloud security', 'payroll software', 'data analytics', 'developer tools'],
  },
  {
    name: 'miners',
    kind: 'Resources',
    metrics: ['copper output', 'all-in sustaining costs', 'ore grades', 'smelter charges', 'lithium prices'],
    products: ['copper concentrate', 'gold bullion', 'iron ore pellets', 'lithium brine'],
  },
  {
    name: 'REITs',
    kind: 'Realty',
    metrics: ['occupancy', 'rent growth', 'funds from operations', 'cap rates', 'lease spreads'],
    products: ['data centers', 'cold storage warehouses', 'suburban offices', 'senior housing'],
  },
  {
    name: 'automakers',
    kind: 'Motors',
    metrics: ['vehicle deliveries', 'average selling prices', 'warranty costs', 'dealer inventory', 'battery costs'],
    products: ['electric pickups', 'hybrid sedans', 'commercial vans', 'autonomous driving software'],
  },
  {
    name: 'payments',
    kind: 'Payments',
    metrics: ['total payment volume', 'take rate', 'cross-border volumes', 'transaction losses', 'active accounts'],
    products: ['merchant acquiring', 'buy-now-pay-later loans', 'prepaid cards', 'real-time transfers'],
  },
  {
    name: 'defense contractors',
    kind: 'Aerospace',
    metrics: ['backlog', 'book-to-bill ratio', 'program margins', 'award fees', 'supply-chain delays'],
    products: ['missile defense systems', 'satellite constellations', 'jet engines', 'naval shipbuilding'],
  },
];

const NAME_STARTS = [
  'Al',
  'Bren',
  'Cor',
  'Dax',
  'El',
  'Fen',
  'Gal',
  'Hal',
  'Iro',
  'Jun',
  'Kel',
  'Lum',
  'Mar',
  'Nor',
  'Ost',
  'Pra',
  'Quin',
  'Ros',
  'Sel',
  'Tor',
  'Ul',
  'Ver',
  'Wes',
  'Xan',
  'Yor',
  'Zen',
  'Ash',
  'Brook',
  'Cres',
  'Dun',
];
const NAME_ENDS = [
  'tech',
  'ora',
  'ex',
  'gen',
  'ium',
  'on',
  'ar',
  'ix',
  'well',
  'stone',
  'field',
  'bridge',
  'point',
  'core',
  'line',
  'path',
  'wave',
  'dyne',
  'ant',
  'mark',
];
const FIRST_NAMES = [
  'Maya',
  'Tomas',
  'Priya',
  'Daniel',
  'Ingrid',
  'Kwame',
  'Lucia',
  'Hiroshi',
  'Fatima',
  'Oliver',
  'Mei',
  'Rafael',
  'Sofia',
  'Anders',
  'Nadia',
  'Grant',
  'Leila',
  'Viktor',
  'Chloe',
  'Ibrahim',
];
const LAST_NAMES = [
  'Okafor',
  'Lindqvist',
  'Ramaswamy',
  'Castellano',
  'Whitfield',
  'Nakamura',
  'Haddad',
  'Brennan',
  'Kowalski',
  'Achterberg',
  'Moreau',
  'Tanaka',
  'Delgado',
  'Fairbanks',
  'Osei',
  'Petrov',
  'Huang',
  'Sorensen',
  'Mbeki',
  'Calloway',
];
const ROLES = [
  'chief financial officer',
  'portfolio manager',
  'equity strategist',
  'credit analyst',
  'chief economist',
  'chief executive',
  'head of research',
  'fixed-income strategist',
  'sector analyst',
  'investment director',
];
const BROKERS = [
  'Harwick Partners',
  'Oldmere Securities',
  'Castlegate Capital',
  'Pinecrest Research',
  'Ridgeway & Co',
  'Larkspur Advisors',
  'Tidewater Markets',
  'Northbrook Equities',
  'Silvermoor Bank',
  'Quayside Brokers',
  'Hollins Kerr',
  'Amberline Group',
];
const INDICES = [
  'the S&P 500',
  'the Nasdaq Composite',
  'the Russell 2000',
  'the Dow Jones Industrial Average',
  'the Stoxx 600',
  'the Nikkei 225',
  'the Hang Seng',
  'the FTSE 100',
  'the KBW bank index',
  'the Philadelphia semiconductor index',
  'the MSCI emerging markets index',
  'the TSX composite',
];
const REGIONS = [
  'Texas',
  'the Pacific Northwest',
  'southern Europe',
  'Japan',
  'Brazil',
  'India',
  'the Gulf Coast',
  'Ontario',
  'Bavaria',
  'Guangdong',
  'Mexico',
  'Poland',
  'Vietnam',
  'Australia',
  'Chile',
  'Indonesia',
  'Scandinavia',
  'the Midwest',
  'California',
  'South Korea',
  'the Nordics',
  'West Africa',
  'the Carolinas',
  'Alberta',
];
const DRIVERS = [
  'a hotter-than-expected inflation print',
  'softer payroll growth',
  'a jump in ten-year Treasury yields',
  'falling crude prices',
  'tariff threats on imported steel',
  'a stronger yen',
  'weak Chinese factory data',
  'a surprise rate cut in Canada',
  'widening high-yield spreads',
  'an antitrust probe',
  'a downgrade from a large broker',
  'record buyback authorizations',
  'heavy options expiry',
  'index rebalancing flows',
  'a strike at West Coast ports',
  'drought across the Corn Belt',
  'copper shortages',
  'a cyberattack at a key supplier',
  'hawkish comments from Federal Reserve officials',
  'a weaker dollar',
  'a rebound in housing starts',
  'slowing consumer credit',
  'an export ban on advanced chips',
  'OPEC production quotas',
  'a heat wave that lifted power demand',
  'lower mortgage rates',
  'delays at a Taiwanese foundry',
  'a government shutdown scare',
  'sticky services inflation',
  'falling freight rates',
  'a takeover bid for a rival',
  'rising delinquencies on auto loans',
  'upbeat guidance from a peer',
  'a collapse in natural gas prices',
  'new capital rules for banks',
  'patent expiries',
  'a shift in index weightings',
  'a rebound in travel bookings',
  'insurance losses from hurricanes',
  'a cut to dividend payouts',
];
const UP_VERBS = ['rose', 'climbed', 'jumped', 'gained', 'advanced', 'rallied', 'surged', 'firmed', 'recovered', 'added'];
const DOWN_VERBS = ['fell', 'slid', 'dropped', 'declined', 'sank', 'retreated', 'slumped', 'eased', 'tumbled', 'weakened'];
const ADJECTIVES = [
  'resilient',
  'lumpy',
  'seasonal',
  'cyclical',
  'structural',
  'sticky',
  'elevated',
  'subdued',
  'robust',
  'fragile',
  'uneven',
  'modest',
  'stubborn',
  'benign',
  'tight',
  'crowded',
  'defensive',
  'patchy',
  'brisk',
  'sluggish',
];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const QUARTERS = ['first-quarter', 'second-quarter', 'third-quarter', 'fourth-quarter'];
const YEARS = ['2019', '2020', '2021', '2022', '2023', '2024', '2025', '2026'];
const CURRENCIES = ['euro', 'yen', 'peso', 'real', 'rupee', 'won', 'Australian dollar', 'Canadian dollar', 'Swiss franc', 'pound'];
const SESSIONS = ['early', 'heavy', 'afternoon', 'premarket', 'after-hours', 'volatile', 'thin holiday', 'late'];
const EVENTS = [
  'earnings report',
  'investor day',
  'central bank meeting',
  'jobs report',
  'drug approval decision',
  'court ruling',
  'shareholder vote',
  'index review',
];
const TOPICS = [
  'pricing practices',
  'data privacy',
  'emissions reporting',
  'merger terms',
  'capital adequacy',
  'safety procedures',
  'labor contracts',
  'export licences',
];
const PROJECT_PARTS = ['Vel', 'Mor', 'Kast', 'Lio', 'Tre', 'Sol', 'Nav', 'Cy', 'Orr', 'Pel', 'Ark', 'Bel'];
const GENERAL_METRICS = [
  'revenue',
  'operating margin',
  'free cash flow',
  'earnings per share',
  'return on equity',
  'guidance',
  'order intake',
  'pricing',
  'unit volumes',
  'operating expenses',
];

export interface Company {
  name: string;
  ticker: string;
  sector: Sector;
}

/** Every company the corpus can mention: each name belongs to one sector. */
export function listCompanies(): Company[] {
  const companies: Company[] = [];
  NAME_STARTS.forEach((start, i) => {
    NAME_ENDS.forEach((end, j) => {
      const sector = SECTORS[(i * 7 + j * 3) % SECTORS.length]!;
      const base = `${start}${end}`;
      companies.push({ name: `${base} ${sector.kind}`, ticker: `${base.slice(0, 3)}${String.fromCharCode(65 + ((i + j) % 26))}`.toUpperCase(), sector });
    });
  });
  return companies;
}

const COMPANIES = listCompanies();

interface Context {
  company: Company;
  random: Random;
}

function person(random: Random): string {
  return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
}

function peer(context: Context): Company {
  const sameSector = COMPANIES.filter((company) => company.sector === context.company.sector && company !== context.company);
  return context.random.pick(sameSector.length > 0 ? sameSector : COMPANIES);
}

function metric(context: Context): string {
  const { random, company } = context;
  return random.next() < 0.7 ? random.pick(company.sector.metrics) : random.pick(GENERAL_METRICS);
}

function move(random: Random): string {
  return random.next() < 0.5 ? random.pick(UP_VERBS) : random.pick(DOWN_VERBS);
}

function project(random: Random): string {
  return `Project ${random.pick(PROJECT_PARTS)}${random.pick(PROJECT_PARTS).toLowerCase()}${random.pick(['a', 'is', 'on', 'ex', 'ia'])}`;
}

const SENTENCES: ((context: Context) => string)[] = [
  (c) =>
    `${c.company.name} reported ${c.random.pick(QUARTERS)} ${metric(c)} of $${c.random.amount(40, 900, 0)} million, ${c.random.next() < 0.5 ? 'up' : 'down'} ${c.random.amount(0.5, 25)}% from a year earlier, against a consensus estimate of $${c.random.amount(40, 900, 0)} million.`,
  (c) =>
    `Shares of ${c.company.name} ${move(c.random)} ${c.random.amount(0.3, 14)}% in ${c.random.pick(SESSIONS)} trading after ${c.random.pick(DRIVERS)}, while ${c.random.pick(INDICES)} ${move(c.random)} ${c.random.amount(0.1, 3)}%.`,
  (c) =>
    `${person(c.random)}, ${c.random.pick(ROLES)} at ${c.random.pick(BROKERS)}, said ${c.company.sector.name} ${metric(c)} looked ${c.random.pick(ADJECTIVES)} and set a price target of $${c.random.amount(12, 480, 0)} on ${c.company.ticker}.`,
  (c) =>
    `Management guided ${c.random.pick(YEARS)} ${metric(c)} to a range of ${c.random.amount(1, 6)} to ${c.random.amount(6, 12)} percent, citing ${c.random.pick(DRIVERS)} and ${c.random.pick(ADJECTIVES)} demand in ${c.random.pick(REGIONS)}.`,
  (c) =>
    `The company spent $${c.random.amount(20, 700, 0)} million on ${c.random.pick(c.company.sector.products)} in ${c.random.pick(REGIONS)}, part of a ${2 + c.random.int(6)}-year plan to lift capacity.`,
  (c) =>
    `Net debt stood at ${c.random.amount(0.4, 4.8)} times EBITDA at the end of the ${c.random.pick(QUARTERS)} period, and the board authorised a $${c.random.amount(50, 2000, 0)} million buyback.`,
  (c) =>
    `Investors compared the ${c.random.amount(8, 45)}x forward earnings multiple of ${c.company.ticker} with ${peer(c).name}, which trades at ${c.random.amount(8, 45)}x, and with ${c.random.pick(INDICES)} at ${c.random.amount(14, 28)}x.`,
  (c) =>
    `In ${c.random.pick(REGIONS)}, ${metric(c)} ${move(c.random)} for a ${c.random.pick(['second', 'third', 'fourth', 'fifth'])} straight quarter as ${c.random.pick(DRIVERS)} weighed on customers.`,
  (c) =>
    `Bond markets priced ${c.random.int(150) + 10} basis points of Federal Reserve cuts by ${c.random.pick(MONTHS)}, and the two-year Treasury yield ${move(c.random)} to ${c.random.amount(2.5, 5.5, 2)}%.`,
  (c) =>
    `${peer(c).name} and ${peer(c).name} ${move(c.random)} in sympathy, leaving the ${c.company.sector.name} group ${c.random.amount(0.5, 9)}% ${c.random.next() < 0.5 ? 'higher' : 'lower'} for the week.`,
  (c) =>
    `Short interest in ${c.company.ticker} reached ${c.random.amount(1, 30)}% of the float, according to exchange data, the highest since ${c.random.pick(MONTHS)} ${c.random.pick(YEARS)}.`,
  (c) => `${person(c.random)} noted that ${metric(c)} at ${c.company.name} depends heavily on ${c.random.pick(DRIVERS)}, which remains hard to forecast.`,
  (c) =>
    `The dividend was held at $${c.random.amount(0.05, 2.5, 2)} per share, a yield of about ${c.random.amount(0.5, 7)}% at the current price of $${c.random.amount(8, 400, 2)}.`,
  (c) =>
    `Options traders bought ${c.random.pick(MONTHS)} calls at the $${c.random.amount(10, 500, 0)} strike on ${c.company.ticker}, betting on a large move after the ${c.random.pick(EVENTS)}.`,
  (c) =>
    `Analysts at ${c.random.pick(BROKERS)} cut their ${c.random.pick(YEARS)} earnings-per-share estimate to $${c.random.amount(0.5, 14, 2)} from $${c.random.amount(0.5, 14, 2)}, pointing to ${c.random.pick(ADJECTIVES)} ${metric(c)}.`,
  (c) =>
    `Revenue from ${c.random.pick(c.company.sector.products)} grew ${c.random.amount(1, 60)}% to $${c.random.amount(10, 900, 0)} million, offsetting weakness in ${c.random.pick(c.company.sector.products)}.`,
  (c) =>
    `Channel checks on ${metric(c)} in ${c.random.pick(REGIONS)} suggest ${c.random.pick(ADJECTIVES)} conditions heading into the ${c.random.pick(['holiday', 'summer', 'planting', 'budget', 'winter', 'reporting'])} season.`,
  (c) =>
    `The stock has ${c.random.next() < 0.5 ? 'gained' : 'lost'} ${c.random.amount(1, 70)}% since the start of ${c.random.pick(YEARS)}, compared with a ${c.random.amount(1, 30)}% move in ${c.random.pick(INDICES)}.`,
  (c) =>
    `Inflation data showed core prices up ${c.random.amount(1.5, 6)}% year on year in ${c.random.pick(MONTHS)}, ${c.random.next() < 0.5 ? 'above' : 'below'} the ${c.random.amount(1.5, 6)}% economists had expected.`,
  (c) =>
    `${c.company.name} agreed to buy ${peer(c).name} for $${c.random.amount(0.4, 30)} billion in cash and stock, a premium of ${c.random.amount(8, 65, 0)}% to the last close.`,
  (c) =>
    `Regulators in ${c.random.pick(REGIONS)} opened a review of ${c.random.pick(TOPICS)}, which could delay the ${project(c.random)} rollout until ${c.random.pick(YEARS)}.`,
  (c) =>
    `Hedge funds trimmed exposure to ${c.company.sector.name} in ${c.random.pick(MONTHS)}, prime-broker data showed, while adding to ${c.random.pick(SECTORS).name}.`,
  (c) =>
    `Operating cash flow came in at $${c.random.amount(20, 3000, 0)} million, and capital expenditure is expected to peak near $${c.random.amount(20, 3000, 0)} million in ${c.random.pick(YEARS)}.`,
  (c) => `Currency moves shaved ${c.random.amount(0.2, 4)} points from growth, with the ${c.random.pick(CURRENCIES)} ${move(c.random)} against the dollar.`,
  (c) =>
    `${person(c.random)} told analysts on the ${c.random.pick(QUARTERS)} call that ${project(c.random)} would add about ${c.random.amount(1, 12)}% to ${metric(c)} by ${c.random.pick(YEARS)}.`,
  (c) =>
    `Credit default swaps on ${c.company.name} debt ${move(c.random)} ${c.random.int(80) + 2} basis points to ${c.random.int(600) + 40}, and its ${c.random.pick(YEARS)} bonds traded at ${c.random.amount(70, 104)} cents on the dollar.`,
];

const SECTION_NAMES = ['Results', 'Guidance', 'Valuation', 'Market reaction', 'Balance sheet', 'Risks', 'Deals', 'Macro backdrop'];

/**
 * The runs of non-whitespace, as `text.split(/\s+/).filter(Boolean).length` counts them, in a loop
 * over character codes: splitting every sentence took 1.8 of the storing thread's 24 CPU seconds
 * in a 100k build, time no real ingest spends.
 */
function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const space = code < 128 ? code === 32 || (code >= 9 && code <= 13) : /\s/.test(text[index]!);
    if (!space && !inWord) words += 1;
    inWord = !space;
  }
  return words;
}

function buildPassage(context: Context, words: number): string {
  const sentences: string[] = [];
  let count = 0;
  while (count < words) {
    const sentence = context.random.pick(SENTENCES)(context);
    sentences.push(sentence);
    count += countWords(sentence);
  }
  return sentences.join(' ');
}

export interface SyntheticArticle {
  article: ParsedArticle;
  passages: { section: string; text: string }[];
}

/** Article number `index` of the corpus: a company, a date, and `passages` passages about it. */
export function generateArticle(index: number, passages = CORPUS_DEFAULTS.passagesPerArticle, seed = CORPUS_DEFAULTS.seed): SyntheticArticle {
  const random = createRandom(seed + index * 7919);
  const company = COMPANIES[random.int(COMPANIES.length)]!;
  const context: Context = { company, random };
  const year = random.pick(YEARS);
  const month = 1 + random.int(12);
  const day = 1 + random.int(28);
  const published = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const title = `${company.name} (${company.ticker}): ${random.pick(QUARTERS)} ${metric(context)} ${random.pick(['in focus', 'under pressure', 'beats forecasts', 'disappoints', 'steadies', 'surprises'])} (note ${index})`;
  const items = Array.from({ length: passages }, (_, position) => ({
    section: SECTION_NAMES[(position + index) % SECTION_NAMES.length]!,
    text: buildPassage(context, CORPUS_DEFAULTS.wordsPerPassage),
  }));
  const sections = SECTION_NAMES.map((heading) => ({ heading, paragraphs: items.filter((item) => item.section === heading).map((item) => item.text) })).filter(
    (section) => section.paragraphs.length > 0,
  );
  const article: ParsedArticle = {
    title,
    text: sections.map((section) => `${section.heading}\n\n${section.paragraphs.join('\n\n')}`).join('\n\n'),
    sections,
    published,
    source: random.pick(BROKERS),
    tags: [company.sector.name.replace(/\s+/g, '_').toLowerCase()],
    tickers: [company.ticker],
    language: 'en',
    references: [],
  };
  return { article, passages: items };
}

/** The same article as a Markdown file with front matter, for the file-based ingest benchmark. */
export function renderArticleMarkdown(generated: SyntheticArticle): string {
  const { article } = generated;
  const front = [
    '---',
    `title: "${article.title}"`,
    `date: ${article.published}`,
    `source: ${article.source}`,
    `tickers: [${article.tickers.join(', ')}]`,
    `tags: [${article.tags.join(', ')}]`,
    '---',
  ];
  const body = article.sections.map((section) => `## ${section.heading}\n\n${section.paragraphs.join('\n\n')}`);
  return `${front.join('\n')}\n\n# ${article.title}\n\n${body.join('\n\n')}\n`;
}

const QUESTIONS: ((context: Context) => string)[] = [
  (c) => `Why did ${c.company.name} shares ${c.random.pick(['fall', 'drop', 'rally', 'jump'])} after ${c.random.pick(DRIVERS)}?`,
  (c) => `What was ${c.company.name}'s ${metric(c)} in the ${c.random.pick(QUARTERS)} report?`,
  (c) => `How did ${c.company.sector.name} react to ${c.random.pick(DRIVERS)}?`,
  (c) => `What price target did analysts set for ${c.company.ticker}?`,
  (c) => `Is ${metric(c)} improving for ${c.company.sector.name} in ${c.random.pick(REGIONS)}?`,
  (c) => `How much debt does ${c.company.name} carry relative to EBITDA?`,
  (c) => `Which ${c.company.sector.name} companies announced buybacks?`,
  (c) => `What forward multiple does ${c.company.ticker} trade at versus ${c.random.pick(INDICES)}?`,
  (c) => `How are Federal Reserve rate-cut expectations affecting ${c.company.sector.name}?`,
  (c) => `What did ${c.random.pick(BROKERS)} say about ${c.company.sector.name} ${metric(c)}?`,
  (c) => `How fast is revenue from ${c.random.pick(c.company.sector.products)} growing?`,
  (c) => `What is the dividend yield of ${c.company.name}?`,
  (c) => `Did ${c.company.name} agree to an acquisition, and at what premium?`,
  (c) => `How did the ${c.random.pick(CURRENCIES)} affect growth at ${c.company.sector.name}?`,
  (c) => `What guidance did ${c.company.name} give for ${c.random.pick(YEARS)}?`,
];

/** `count` varied questions about companies, sectors and themes of the corpus. */
export function generateQuestions(count: number, seed = CORPUS_DEFAULTS.seed + 1): string[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const context: Context = { company: COMPANIES[random.int(COMPANIES.length)]!, random };
    return QUESTIONS[index % QUESTIONS.length]!(context);
  });
}
