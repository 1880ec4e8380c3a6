/**
 * Every label of the UI chrome, in English and Chinese, in one place. The language only switches
 * the chrome: questions go to the server as typed and answers come back as the server writes them.
 * `{name}` slots are filled by `t(key, values)`; a key missing in Chinese falls back to English.
 */
export const LANGUAGES = ['en', 'zh'];
const STORAGE_KEY = 'copilot.language';

export const STRINGS = {
  en: {
    'language.name': 'English',
    'language.switch': '中文',
    'language.switchLabel': 'Switch the interface to Chinese',
    'nav.main': 'Main',
    'nav.chat': 'Chat',
    'nav.library': 'Library',
    'skip': 'Skip to content',
    'status.articles': '{count} articles · {engine}',
    'status.offline': 'offline engine',
    'status.model': 'model {model}',
    'status.down': 'server unreachable',
    'chat.label': 'Chat',
    'chat.question': 'Your question',
    'chat.placeholder': 'Ask about your articles or market data…',
    'chat.placeholderResearch': 'Describe what to research…',
    'chat.deepResearch': 'Deep research',
    'chat.autoAccept': 'Auto-accept plan',
    'chat.newChat': 'New chat',
    'chat.stop': 'Stop',
    'chat.send': 'Send',
    'chat.hint': 'Enter sends; Shift+Enter starts a new line.',
    'chat.disclaimer': 'For information only, from your articles and historical market data; not investment advice. Answers can be wrong: check the cited sources.',
    'chat.searching': 'Searching your articles…',
    'chat.found': 'Found {count} passages; writing…',
    'chat.computed': 'Computed {name}…',
    'chat.ready': 'Answer ready, with {count} sources.',
    'chat.failed': 'The answer failed; a retry button is in the conversation.',
    'chat.stopped': 'Stopped.',
    'chat.retry': 'Retry',
    'chat.tryAsking': 'Try asking',
    'chat.askArticle': 'Ask about this article',
    'chat.askingAbout': 'Asking about: ',
    'chat.askAll': 'Ask about all articles',
    'chat.fallback': 'The generative model failed, so the offline engine answered.',
    'chat.removed': '{count} sentence(s) were removed because a figure in them was not in their sources.',
    'chat.engineOffline': 'offline engine',
    'chat.engineOpenai': 'generative engine',
    'chat.checked': '{grounded}/{figures} figures checked against sources',
    'chat.followUps': 'Ask next',
    'chat.loadingConversation': 'Opening the conversation…',
    'chat.conversationGone': 'This conversation is no longer stored on the server.',
    'actions.label': 'Answer actions',
    'actions.copy': 'Copy',
    'actions.copied': 'Copied',
    'actions.copyFailed': 'Copy failed',
    'actions.export': 'Export Markdown',
    'actions.print': 'Print / PDF',
    'history.heading': 'Conversations',
    'history.empty': 'Your conversations appear here.',
    'history.delete': 'Delete conversation “{title}”',
    'history.deleteFailed': 'Could not delete it: {message}',
    'history.unavailable': 'Conversations cannot be listed right now.',
    'history.turns': '{count} questions',
    'history.turn': '1 question',
    'history.toggle': 'History',
    'sources.heading': 'Sources',
    'sources.references': 'References',
    'sources.computedWith': 'computed with {tool}',
    'cite.source': 'Source {n}',
    'cite.article': 'Source {n} · article',
    'cite.computed': 'Source {n} · computed',
    'cite.open': 'Open the article',
    'cite.close': 'Close source',
    'cite.tool': 'Tool',
    'cite.conventions': 'Conventions',
    'cite.data': 'Data: {origins}',
    'cite.figures': 'Computed figures',
    'sentiment.label': 'Sentiment: {value}',
    'sentiment.positive': 'positive',
    'sentiment.negative': 'negative',
    'sentiment.neutral': 'neutral',
    'sentiment.mixed': 'mixed',
    'sentiment.bullish': 'bullish',
    'sentiment.bearish': 'bearish',
    'tags.label': 'Tickers and tags',
    'errors.network': 'Server unreachable.',
    'errors.refused': 'The request was refused.',
    'errors.provider': 'The model provider failed.',
    'errors.generic': 'Something went wrong.',
    'library.heading': 'Library',
    'library.add': 'Add article',
    'library.search': 'Search articles',
    'library.searchPlaceholder': 'Search titles, text, tags…',
    'library.searchButton': 'Search',
    'library.more': 'Load more',
    'library.count': '{count} articles in your library',
    'library.countOne': '1 article in your library',
    'library.matching': '{count} articles matching “{q}”',
    'library.matchingOne': '1 article matching “{q}”',
    'library.undated': 'undated',
    'library.articles': 'Articles',
    'upload.form': 'Add an article',
    'upload.file': 'File (.html, .htm, .md, .txt, .json)',
    'upload.or': 'or paste it',
    'upload.content': 'Article text or HTML',
    'upload.format': 'Pasted content is',
    'upload.detect': 'detect',
    'upload.text': 'text or Markdown',
    'upload.html': 'HTML',
    'upload.title': 'Title (optional)',
    'upload.source': 'Source (optional)',
    'upload.published': 'Published (optional)',
    'upload.tags': 'Tags, comma separated (optional)',
    'upload.submit': 'Add to library',
    'article.back': '← Library',
    'article.delete': 'Delete',
    'article.deleteConfirm': 'Delete this article and its chunks from the library?',
    'article.deleteYes': 'Delete permanently',
    'article.deleteNo': 'Keep it',
    'article.original': 'Original',
    'article.chunks': 'Chunks ({count})',
    'article.references': 'References',
    'article.loading': 'Loading the article…',
    'chart.indexed': '{names}, indexed to 100',
    'chart.unavailable': 'Chart unavailable; the figures are in the table.',
    'boot': 'Loading the copilot…',
  },
  zh: {
    'language.name': '中文',
    'language.switch': 'English',
    'language.switchLabel': '将界面切换为英文',
    'nav.main': '主导航',
    'nav.chat': '对话',
    'nav.library': '文章库',
    'skip': '跳到正文',
    'status.articles': '{count} 篇文章 · {engine}',
    'status.offline': '离线引擎',
    'status.model': '模型 {model}',
    'status.down': '无法连接服务器',
    'chat.label': '对话',
    'chat.question': '您的问题',
    'chat.placeholder': '询问您的文章或行情数据…',
    'chat.placeholderResearch': '描述要研究的内容…',
    'chat.deepResearch': '深度研究',
    'chat.autoAccept': '自动采纳计划',
    'chat.newChat': '新对话',
    'chat.stop': '停止',
    'chat.send': '发送',
    'chat.hint': '回车发送；Shift+回车换行。',
    'chat.disclaimer': '仅供参考，内容来自您的文章和历史行情数据，不构成投资建议。回答可能有误，请核对引用来源。',
    'chat.searching': '正在检索您的文章…',
    'chat.found': '找到 {count} 段内容，正在撰写…',
    'chat.computed': '已计算 {name}…',
    'chat.ready': '回答已完成，共 {count} 个来源。',
    'chat.failed': '回答失败；对话中有重试按钮。',
    'chat.stopped': '已停止。',
    'chat.retry': '重试',
    'chat.tryAsking': '试着问',
    'chat.askArticle': '就本文提问',
    'chat.askingAbout': '正在询问：',
    'chat.askAll': '询问全部文章',
    'chat.fallback': '生成式模型失败，由离线引擎作答。',
    'chat.removed': '有 {count} 句因数字无法在来源中核实而被删除。',
    'chat.engineOffline': '离线引擎',
    'chat.engineOpenai': '生成式引擎',
    'chat.checked': '{grounded}/{figures} 个数字已与来源核对',
    'chat.followUps': '接着问',
    'chat.loadingConversation': '正在打开对话…',
    'chat.conversationGone': '服务器上已没有这段对话。',
    'actions.label': '回答操作',
    'actions.copy': '复制',
    'actions.copied': '已复制',
    'actions.copyFailed': '复制失败',
    'actions.export': '导出 Markdown',
    'actions.print': '打印 / PDF',
    'history.heading': '对话记录',
    'history.empty': '您的对话会显示在这里。',
    'history.delete': '删除对话“{title}”',
    'history.deleteFailed': '无法删除：{message}',
    'history.unavailable': '暂时无法列出对话。',
    'history.turns': '{count} 个问题',
    'history.turn': '1 个问题',
    'history.toggle': '记录',
    'sources.heading': '来源',
    'sources.references': '参考资料',
    'sources.computedWith': '由 {tool} 计算',
    'cite.source': '来源 {n}',
    'cite.article': '来源 {n} · 文章',
    'cite.computed': '来源 {n} · 计算',
    'cite.open': '打开文章',
    'cite.close': '关闭来源',
    'cite.tool': '工具',
    'cite.conventions': '计算约定',
    'cite.data': '数据：{origins}',
    'cite.figures': '计算结果',
    'sentiment.label': '情绪：{value}',
    'sentiment.positive': '正面',
    'sentiment.negative': '负面',
    'sentiment.neutral': '中性',
    'sentiment.mixed': '混合',
    'sentiment.bullish': '看涨',
    'sentiment.bearish': '看跌',
    'tags.label': '代码与标签',
    'errors.network': '无法连接服务器。',
    'errors.refused': '请求被拒绝。',
    'errors.provider': '模型服务失败。',
    'errors.generic': '出了点问题。',
    'library.heading': '文章库',
    'library.add': '添加文章',
    'library.search': '搜索文章',
    'library.searchPlaceholder': '搜索标题、正文、标签…',
    'library.searchButton': '搜索',
    'library.more': '加载更多',
    'library.count': '文章库中有 {count} 篇文章',
    'library.countOne': '文章库中有 1 篇文章',
    'library.matching': '{count} 篇文章匹配“{q}”',
    'library.matchingOne': '1 篇文章匹配“{q}”',
    'library.undated': '无日期',
    'library.articles': '文章',
    'upload.form': '添加文章',
    'upload.file': '文件（.html、.htm、.md、.txt、.json）',
    'upload.or': '或直接粘贴',
    'upload.content': '文章文本或 HTML',
    'upload.format': '粘贴的内容是',
    'upload.detect': '自动识别',
    'upload.text': '文本或 Markdown',
    'upload.html': 'HTML',
    'upload.title': '标题（可选）',
    'upload.source': '来源（可选）',
    'upload.published': '发布日期（可选）',
    'upload.tags': '标签，用逗号分隔（可选）',
    'upload.submit': '加入文章库',
    'article.back': '← 文章库',
    'article.delete': '删除',
    'article.deleteConfirm': '从文章库删除这篇文章及其分块？',
    'article.deleteYes': '永久删除',
    'article.deleteNo': '保留',
    'article.original': '原文',
    'article.chunks': '分块（{count}）',
    'article.references': '参考资料',
    'article.loading': '正在加载文章…',
    'chart.indexed': '{names}（起点 = 100）',
    'chart.unavailable': '图表不可用；数字见表格。',
    'boot': '正在加载…',
  },
};

/** Labels of computed figures (tool result fields), shown in data citations. */
export const FIGURE_LABELS = {
  en: {
    return_pct: 'Return',
    point_change: 'Change',
    daily_volatility_pct: 'Daily volatility',
    annualized_volatility_pct: 'Annualized volatility',
    max_drawdown_pct: 'Max drawdown',
    max_drawdown: 'Drawdown, peak to trough',
    highest_close: 'Highest close',
    lowest_close: 'Lowest close',
    intraday_high: 'Intraday high',
    intraday_low: 'Intraday low',
    sessions: 'Sessions',
    daily_returns_used: 'Daily returns used',
    base: 'Start',
    last: 'Last close',
    last_close: 'Last close',
    close: 'Close',
    value: 'Value',
    high_close: '52-week high (close)',
    low_close: '52-week low (close)',
    high_intraday: '52-week high (intraday)',
    low_intraday: '52-week low (intraday)',
    position_pct: 'Position in the range',
    below_high_pct: 'Below the high',
    above_low_pct: 'Above the low',
    distance_pct: 'Distance from the average',
    window: 'Window (sessions)',
    as_of: 'As of',
    year: 'Year',
    range_basis: 'Range basis',
    sessions_used: 'Sessions used',
    relative: 'Gap',
    beat: 'Sessions {a} beat {b}',
    current_streak: 'Current streak',
    longest_streak: 'Longest streak',
    none: 'none',
    session: '{count} session',
    sessionsCount: '{count} sessions',
    on: '{value} on {date}',
    of: '{a} of {b}',
  },
  zh: {
    return_pct: '涨跌幅',
    point_change: '变动',
    daily_volatility_pct: '日波动率',
    annualized_volatility_pct: '年化波动率',
    max_drawdown_pct: '最大回撤',
    max_drawdown: '回撤（峰值至谷底）',
    highest_close: '最高收盘',
    lowest_close: '最低收盘',
    intraday_high: '盘中最高',
    intraday_low: '盘中最低',
    sessions: '交易日',
    daily_returns_used: '所用日收益数',
    base: '起点',
    last: '最新收盘',
    last_close: '最新收盘',
    close: '收盘',
    value: '数值',
    high_close: '52周最高（收盘）',
    low_close: '52周最低（收盘）',
    high_intraday: '52周最高（盘中）',
    low_intraday: '52周最低（盘中）',
    position_pct: '区间位置',
    below_high_pct: '距最高',
    above_low_pct: '高于最低',
    distance_pct: '偏离均线',
    window: '窗口（交易日）',
    as_of: '截至',
    year: '年份',
    range_basis: '区间口径',
    sessions_used: '所用交易日',
    relative: '差距',
    beat: '{a} 跑赢 {b} 的交易日',
    current_streak: '当前连胜',
    longest_streak: '最长连胜',
    none: '无',
    session: '{count} 个交易日',
    sessionsCount: '{count} 个交易日',
    on: '{date} {value}',
    of: '{b} 中的 {a}',
  },
};

let current = 'en';

/** The language chosen before (localStorage), else the browser's when it is Chinese, else English. */
export function initLanguage(storage = safeStorage(), navigatorLanguage = globalThis.navigator?.language ?? 'en') {
  const saved = storage?.getItem(STORAGE_KEY);
  current = LANGUAGES.includes(saved) ? saved : /^zh\b/i.test(navigatorLanguage) ? 'zh' : 'en';
  return current;
}

export function getLanguage() {
  return current;
}

export function setLanguage(language, storage = safeStorage()) {
  if (!LANGUAGES.includes(language)) return current;
  current = language;
  try {
    storage?.setItem(STORAGE_KEY, language);
  } catch {
    // Private browsing may refuse storage: the choice then lasts for this page only.
  }
  return current;
}

/** The BCP 47 locale for dates and numbers in the current language. */
export function getLocale(language = current) {
  return language === 'zh' ? 'zh-CN' : 'en-US';
}

export function t(key, values = {}, language = current) {
  const template = STRINGS[language]?.[key] ?? STRINGS.en[key] ?? key;
  return fill(template, values);
}

export function figureLabel(key, values = {}, language = current) {
  const template = FIGURE_LABELS[language]?.[key] ?? FIGURE_LABELS.en[key];
  return template === undefined ? undefined : fill(template, values);
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

/**
 * Relabels the static chrome of index.html: `data-i18n` sets the text, `data-i18n-placeholder`,
 * `data-i18n-label` (aria-label) and `data-i18n-title` set those attributes.
 */
export function applyStaticLabels(root = document) {
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) element.setAttribute('placeholder', t(element.dataset.i18nPlaceholder));
  for (const element of root.querySelectorAll('[data-i18n-label]')) element.setAttribute('aria-label', t(element.dataset.i18nLabel));
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
}

function safeStorage() {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
