/**
 * What page chrome looks like, as data. The parsers consult these lists; nothing here does work.
 *
 * Line patterns match a whole trimmed line (or paragraph). They cover the UI phrases that article
 * pages saved as text or HTML carry around the body: login walls, "about us" blurbs, widget
 * titles, comment boxes, disclaimers, reading-time labels, in English, Chinese and Spanish.
 * Prefer generic shapes (a short label, a placeholder run) over one site's exact wording.
 */

/** Whole-line UI phrases. Matched case-insensitively against the trimmed line. */
export const CHROME_LINE_PATTERNS: readonly RegExp[] = [
  // Login walls and feature upsells.
  /^unlock (?:more|all|premium) features?$/i,
  /^(?:log ?in|sign ?in|sign ?up|register) (?:to|for) (?:access|unlock|read|continue|see|get|view)\b.{0,160}$/i,
  /^(?:log ?in|sign ?in|sign ?up|register|subscribe|create (?:an )?account|get started|try (?:it )?(?:for )?free)(?: now)?[.!]?$/i,
  /^(?:subscribe|sign up) (?:to|for) (?:our|the) newsletter\b.{0,120}$/i,
  /^解锁更多功能$/,
  /^登录后即可.{0,80}$/,
  /^(?:登录|注册|免费注册|立即登录|立即注册|订阅)$/,
  /^desbloquea(?:r)? m[aá]s funciones$/i,
  /^(?:inicia(?:r)? sesi[oó]n|reg[ií]strate|suscr[ií]bete)\b.{0,120}$/i,
  // Promotions and bare discount banners.
  /^(?:up to )?\d{1,3}\s?% off\b.{0,40}$/i,
  /^\d{1,3}\s?%\s?(?:折扣|优惠)$/,
  /^(?:advertisement|sponsored(?: content)?|promoted|publicidad|广告|推广)$/i,
  // "About us" blurbs describing the site rather than the article.
  /^about us\s*[:：].{0,400}$/i,
  /^关于我们\s*[:：].{0,400}$/,
  /^(?:sobre nosotros|qui[eé]nes somos)\s*[:：].{0,400}$/i,
  // Widget titles: related stocks, related reading, recommendations.
  /^related (?:stocks|tickers|symbols|reading(?: recommendations)?|articles|news|posts|stories|content)$/i,
  /^(?:recommended (?:for you|articles|reading)|you may also like|more from .{1,40}|read more|read next|trending(?: now)?)$/i,
  /^no recommended (?:articles|content|news)\.?$/i,
  /^(?:相关股票|相关阅读(?:推荐)?|相关文章|推荐阅读|猜你喜欢|暂无推荐(?:文章|内容)?|阅读原文|查看更多)$/,
  /^(?:art[ií]culos relacionados|noticias relacionadas|lecturas recomendadas|te puede interesar|leer m[aá]s)$/i,
  // Chat-box prompts and feature buttons of AI research sites.
  /^ask (?:based on|about) this (?:news|article)\b.{0,80}$/i,
  /^基于这[条篇](?:新闻|文章)提问.{0,40}$/,
  /^(?:alpha )?deep research$/i,
  /^(?:深度投研|深度研究)$/,
  /^auto[- ]accept (?:plan|plans)$/i,
  /^自动接受计划$/,
  // Disclaimers (whole lines only: a body sentence that mentions advice stays).
  /^insights are generated (?:using|by) ai\b.{0,300}$/i,
  /^(?:this (?:article|content|material) )?(?:is|does) not (?:constitute )?(?:investment|financial) advice\b.{0,200}$/i,
  /^disclaimer\s*[:：].{0,400}$/i,
  /^数据基于历史.{0,120}$/,
  /^.{0,60}不构成(?:任何)?投资建议[。.]?$/,
  /^(?:aviso legal|descargo de responsabilidad)\s*[:：].{0,400}$/i,
  // Comment boxes.
  /^(?:comments?|comentarios?|评论|留言)(?:\s*\(\d+\))?$/i,
  /^add (?:a )?(?:public )?comment\.*$/i,
  /^(?:no comments(?: yet)?|be the first to comment)\.?$/i,
  /^(?:sin comentarios|a[uú]n no hay comentarios|s[eé] el primero en comentar|a[ñn]ade un comentario(?: p[uú]blico)?)\.*$/i,
  /^(?:暂无评论|发表评论|写评论)$/,
  // Author boxes and share bars.
  /^author(?:'s)? (?:avatar|photo|image|picture)$/i,
  /^(?:作者头像|头像)$/,
  /^(?:share(?: this)?(?: article| story| post)?|copy link|print|follow|compartir|分享|复制链接)$/i,
  // Reading-time labels.
  /^\d{1,3}\s?(?:min(?:ute)?s?|minutos?)\s?(?:read|de lectura|lectura)$/i,
  /^(?:阅读时间|阅读)?\s?\d{1,3}\s?分钟(?:阅读)?$/,
  // Cookie banners.
  /^(?:we use cookies|this (?:site|website) uses cookies)\b.{0,300}$/i,
  /^(?:accept(?: all)?(?: cookies)?|reject all|cookie (?:settings|preferences))$/i,
];

/** Placeholder cells of empty widgets ("--" runs, lone dashes, ellipses). */
export const PLACEHOLDER_LINE = /^(?:[-–—−]{1,4}|\.{3}|…|N\/A)$/i;

/** Lines that title a widget listing tickers; the lines after them are ticker symbols and placeholders. */
export const TICKER_WIDGET_HEADINGS: readonly RegExp[] = [
  /^related (?:stocks|tickers|symbols)$/i,
  /^(?:相关股票|相关个股)$/,
  /^(?:acciones relacionadas|valores relacionados)$/i,
];

/** Sentiment badges (a lone word on a line), normalised to English lower case. */
export const SENTIMENT_LABELS: Readonly<Record<string, string>> = {
  mixed: 'mixed',
  bullish: 'bullish',
  bearish: 'bearish',
  neutral: 'neutral',
  positive: 'positive',
  negative: 'negative',
  混合: 'mixed',
  中性: 'neutral',
  看涨: 'bullish',
  看多: 'bullish',
  看跌: 'bearish',
  看空: 'bearish',
  利好: 'positive',
  利空: 'negative',
  积极: 'positive',
  消极: 'negative',
  mixto: 'mixed',
  alcista: 'bullish',
  bajista: 'bearish',
  positivo: 'positive',
  negativo: 'negative',
};

/** Market badges shown beside the sentiment ("US Stock", 美股市场). */
export const MARKET_LABEL_LINE =
  /^(?:us|u\.s\.|hk|hong kong|a-?share|china|cn|crypto|forex)\s(?:stocks?|markets?|equities)$|^(?:a-?shares?|crypto(?:currency)?|forex)$|^(?:美股|港股|a股|沪深|加密货币|外汇)(?:市场)?$|^(?:mercado (?:estadounidense|de ee\.? ?uu\.?)|acciones de ee\.? ?uu\.?)$/i;

/**
 * Lines that name the site: "About us: Ginlix AI is …", "AInvest News Editorial Team".
 * The first capture group is the site name.
 */
export const SOURCE_LINE_PATTERNS: readonly RegExp[] = [
  /^about us\s*[:：]\s*(.{2,40}?)\s+(?:is|are)\s/i,
  /^关于我们\s*[:：]\s*(.{2,40}?)\s*是/,
  /^(?:sobre nosotros|qui[eé]nes somos)\s*[:：]\s*(.{2,40}?)\s+es\s/i,
  /^(\S.{0,30}?)\s+(?:news )?(?:editorial team|newsroom|editors)$/i,
  /^(\S.{0,30}?)\s+data recommendations$/i,
];

/** Site-branded widget lines that are chrome once their site name has been read. */
export const SOURCE_CHROME_LINES: readonly RegExp[] = [/^\S.{0,30}?\s+(?:news )?(?:editorial team|newsroom|editors)$/i, /^\S.{0,30}?\s+data recommendations$/i];

/** Headings of an article's own reference list. */
export const REFERENCE_HEADINGS = /^(?:references?|sources?|citations|bibliography|参考(?:资料|文献|来源)|资料来源|来源|referencias|fuentes)\s*[:：]?$/i;

/** HTML elements never holding article text. */
export const DROPPED_TAGS: ReadonlySet<string> = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'svg',
  'form',
  'nav',
  'header',
  'footer',
  'aside',
  'button',
  'img',
  'picture',
  'video',
  'audio',
  'source',
  'track',
  'canvas',
  'object',
  'embed',
  'map',
  'input',
  'select',
  'textarea',
  'option',
  'label',
  'dialog',
  'menu',
  'head',
  'math',
  'link',
  'meta',
]);

/**
 * Class/id words marking chrome. Class and id values are split into words (kebab, snake, camel)
 * and a container is dropped when one word is in this set.
 */
export const CHROME_CLASS_WORDS: ReadonlySet<string> = new Set([
  'comment',
  'comments',
  'disqus',
  'related',
  'share',
  'sharing',
  'sharebar',
  'social',
  'login',
  'signin',
  'signup',
  'register',
  'registration',
  'subscribe',
  'subscription',
  'paywall',
  'promo',
  'promotion',
  'ad',
  'ads',
  'advert',
  'advertisement',
  'adslot',
  'sponsor',
  'sponsored',
  'cookie',
  'cookies',
  'consent',
  'gdpr',
  'sidebar',
  'breadcrumb',
  'breadcrumbs',
  'disclaimer',
  'newsletter',
  'popup',
  'modal',
  'recommended',
  'recommendations',
  'outbrain',
  'taboola',
  'toolbar',
  'navbar',
  'menu',
]);

/** Whole class names that hide an element by convention (Bootstrap, Tailwind, WordPress). */
export const HIDDEN_CLASSES: ReadonlySet<string> = new Set([
  'hidden',
  'is-hidden',
  'd-none',
  'sr-only',
  'visually-hidden',
  'screen-reader-text',
  'invisible',
  'offscreen',
]);

/** Word pairs marking chrome only together ("author-box", "ticker-widget", "sr-only"). */
export const CHROME_CLASS_PAIRS: readonly (readonly [string, string])[] = [
  ['author', 'box'],
  ['author', 'bio'],
  ['author', 'card'],
  ['author', 'info'],
  ['author', 'avatar'],
  ['ticker', 'widget'],
  ['ticker', 'tape'],
  ['ticker', 'bar'],
  ['ticker', 'list'],
  ['stock', 'widget'],
  ['quote', 'widget'],
  ['read', 'more'],
  ['more', 'stories'],
];

/** Words before a chrome word that negate it: "has-sidebar", "no-ads", "with-comments". */
export const CHROME_CLASS_NEGATORS: ReadonlySet<string> = new Set(['has', 'no', 'with', 'without']);

/** ARIA roles of page furniture. */
export const CHROME_ROLES: ReadonlySet<string> = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'search',
  'dialog',
  'alertdialog',
  'button',
  'menu',
  'menubar',
  'toolbar',
  'tablist',
  'tooltip',
]);

/** Inline styles that hide an element. */
export const HIDDEN_STYLE =
  /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|font-size\s*:\s*0(?:\.0+)?(?:px|em|rem|pt|%)?\s*(?:!important)?\s*(?:;|$)|opacity\s*:\s*0(?:\.0+)?\s*(?:!important)?\s*(?:;|$))/i;
