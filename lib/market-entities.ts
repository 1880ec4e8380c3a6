import { LISTED_COMPANIES } from './listed-companies.ts';

/**
 * Well-known market names and the symbols that stand for them, for query understanding: a question
 * that says "RUT" should find passages that say "Russell 2000" or "small caps", and a Chinese
 * question that says 罗素2000 should find the English article. Pure data. Companies come from the
 * general list of large listed companies (lib/listed-companies.ts).
 *
 * `aliases` are matched case-insensitively on word boundaries (CJK aliases as substrings), except
 * aliases written with capitals (DIA, a ticker, "Apple"), which must be written as they are;
 * `terms` are what a matching query is expanded with for search.
 */
export interface MarketEntity {
  id: string;
  name: string;
  kind: 'index' | 'etf' | 'company' | 'concept';
  aliases: string[];
  /** Expansion terms for lexical and vector search. */
  terms: string[];
  /** Price series that measure it, preferred first (index level before its ETF). */
  symbols: string[];
}

const INDEXES_AND_CONCEPTS: MarketEntity[] = [
  {
    id: 'russell-2000',
    name: 'Russell 2000',
    kind: 'index',
    aliases: [
      'russell 2000',
      'russell2000',
      'russell',
      'rut',
      '^rut',
      'r2k',
      'iwm',
      'small caps',
      'small-caps',
      'small cap',
      'small-cap',
      'smallcap',
      'smallcaps',
      '罗素2000',
      '罗素',
      '小盘股',
      '小型股',
      '小盘',
    ],
    terms: ['Russell 2000', 'small caps', 'small-cap', 'RUT', 'IWM'],
    symbols: ['RUT', 'IWM'],
  },
  {
    id: 's&p-500',
    name: 'S&P 500',
    kind: 'index',
    aliases: [
      's&p 500',
      's&p500',
      'sp500',
      'sp 500',
      's and p 500',
      'spx',
      '^spx',
      'gspc',
      '^gspc',
      'spy',
      's&p',
      'large caps',
      'large-caps',
      'large cap',
      'large-cap',
      'standard & poor',
      '标普500',
      '标普',
      '大盘股',
    ],
    terms: ['S&P 500', 'large caps', 'large-cap', 'SPX', 'SPY'],
    symbols: ['GSPC', 'SPY'],
  },
  {
    id: 'nasdaq',
    name: 'Nasdaq Composite',
    kind: 'index',
    aliases: ['nasdaq composite', 'nasdaq', 'ixic', '^ixic', 'qqq', 'nasdaq-100', 'nasdaq 100', 'ndx', '纳斯达克', '纳指'],
    terms: ['Nasdaq', 'Nasdaq Composite', 'IXIC', 'QQQ'],
    symbols: ['IXIC', 'QQQ'],
  },
  {
    id: 'dow',
    name: 'Dow Jones Industrial Average',
    kind: 'index',
    aliases: ['dow jones industrial average', 'dow jones', 'the dow', 'dow', 'djia', 'dji', '^dji', 'DIA', '道琼斯', '道指'],
    terms: ['Dow Jones Industrial Average', 'Dow', 'DJIA', 'DIA'],
    symbols: ['DJI', 'DIA'],
  },
  {
    id: 'vix',
    name: 'Cboe Volatility Index',
    kind: 'index',
    aliases: ['vix', '^vix', 'volatility index', 'fear gauge', 'fear index', '恐慌指数'],
    terms: ['VIX', 'volatility index', 'fear gauge'],
    symbols: ['VIX'],
  },
  {
    id: 's&p-600',
    name: 'S&P SmallCap 600',
    kind: 'index',
    aliases: ['s&p small cap 600', 's&p smallcap 600', 's&p 600', 'sp600', 'small cap 600', 'ijs'],
    terms: ['S&P Small Cap 600', 'S&P 600', 'IJS', 'small-cap value'],
    symbols: ['IJS'],
  },
  {
    id: 'pe-ratio',
    name: 'price-to-earnings ratio',
    kind: 'concept',
    aliases: [
      'p/e',
      'pe ratio',
      'p/e ratio',
      'price-to-earnings',
      'price to earnings',
      'earnings multiple',
      'forward earnings',
      'multiple',
      'multiples',
      '市盈率',
      '估值',
    ],
    terms: ['P/E', 'price-to-earnings', 'forward earnings', 'valuation', 'times earnings'],
    symbols: [],
  },
  {
    id: 'fed',
    name: 'Federal Reserve',
    kind: 'concept',
    aliases: [
      'federal reserve',
      'the fed',
      'fed',
      'fomc',
      'rate cut',
      'rate cuts',
      'interest rates',
      'interest rate',
      'fed funds',
      'monetary policy',
      '美联储',
      '降息',
      '利率',
    ],
    terms: ['Federal Reserve', 'Fed', 'rate cuts', 'interest rates', 'monetary policy'],
    symbols: [],
  },
  {
    id: 'january-effect',
    name: 'January effect',
    kind: 'concept',
    aliases: ['january effect', 'tax-loss selling', 'tax loss selling', 'seasonality', 'seasonal', '一月效应', '季节性'],
    terms: ['January Effect', 'tax-loss selling', 'seasonal'],
    symbols: [],
  },
  {
    id: 'm&a',
    name: 'mergers and acquisitions',
    kind: 'concept',
    aliases: ['m&a', 'mergers', 'acquisitions', 'takeover', 'takeovers', 'deal activity', '并购'],
    terms: ['M&A', 'mergers', 'acquisitions', 'takeover'],
    symbols: [],
  },
];

const companies: MarketEntity[] = LISTED_COMPANIES.map(([listing, name, ...aliases]) => {
  const ticker = listing.replace(/^[-=]/, '');
  // Aliases with capitals are matched as written, lowercase ones in any case.
  const tickerAliases = listing.startsWith('-') ? [] : listing.startsWith('=') ? [ticker] : [ticker.toLowerCase()];
  return {
    id: `company:${ticker.toLowerCase()}`,
    name,
    kind: 'company',
    aliases: [...tickerAliases, ...aliases],
    terms: [name, ticker],
    symbols: [],
  };
});

export const MARKET_ENTITIES: MarketEntity[] = [...INDEXES_AND_CONCEPTS, ...companies];

/**
 * Chinese finance words that carry meaning a Chinese question shares with an English article
 * (names are covered by the entities above). Lets the lexical side match across languages; a
 * question word also lists the Chinese words its answers are written with.
 */
export const CHINESE_GLOSSARY: [string, string[]][] = [
  ['收盘', ['closed', 'close']],
  ['收于', ['closed']],
  ['上涨', ['gained', 'rose', 'gain']],
  ['涨幅', ['gain', 'return']],
  ['下跌', ['fell', 'declined', 'decline']],
  ['跌幅', ['decline']],
  ['回报', ['return']],
  ['收益率', ['return', 'yield']],
  ['波动率', ['volatility']],
  ['波动', ['volatility']],
  ['风险', ['risks', 'risk']],
  ['机会', ['opportunities']],
  // A "why" is answered in Chinese prose with the words for cause and factor, not by repeating 为什么.
  ['原因', ['drivers', 'why', '因素']],
  ['为什么', ['why', 'drivers', '原因', '因素']],
  ['跑赢', ['outperformed', 'outperformance']],
  ['表现', ['performance']],
  ['创纪录', ['record']],
  ['新高', ['record', 'high']],
  ['盈利', ['earnings']],
  ['利润', ['earnings', 'profit']],
  ['增长', ['growth']],
  ['预测', ['forecast', 'projects']],
  ['目标', ['target']],
  ['分析师', ['analyst', 'strategist']],
  ['板块', ['sector']],
  ['行业', ['sector', 'industry']],
  ['能源', ['energy']],
  ['科技', ['technology', 'tech']],
  ['金融', ['financial']],
  ['医疗', ['healthcare']],
  ['移动平均', ['moving average']],
  ['均线', ['moving average']],
  ['区间', ['range']],
  ['溢价', ['premium']],
  ['折价', ['discount']],
  ['估值', ['valuation']],
  ['人工智能', ['AI', 'artificial intelligence']],
  ['关税', ['tariffs', 'tariff']],
  ['经济', ['economy', 'economic']],
  ['通胀', ['inflation']],
  ['债务', ['debt']],
  ['浮动利率', ['floating-rate', 'variable-rate']],
  ['资金流', ['flows', 'inflows']],
  ['流入', ['inflows']],
  ['连涨', ['winning streak', 'streak']],
  ['连续', ['streak', 'consecutive']],
];
