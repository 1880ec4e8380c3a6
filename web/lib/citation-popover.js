import { renderSampleBadge, renderSentiment } from '../views/article-badges.js';
import { formatDate, h } from './dom.js';
import { describeArguments, flattenFigures } from './figures.js';
import { t } from './i18n.js';

const NARROW = '(max-width: 640px)';

/**
 * One shared popover for citation chips. Hover previews it; click (or Enter/Space on the focused
 * chip) pins it and moves focus into it so its link is reachable by keyboard; Escape, the close
 * button or a click elsewhere closes it and returns focus to the chip.
 */
export function createCitationPopover() {
  const body = h('div', { className: 'cite-pop-body' });
  const close = h('button', { type: 'button', className: 'icon-button cite-pop-close', 'aria-label': t('cite.close') }, '×');
  const popover = h('div', { className: 'cite-pop', role: 'dialog', 'aria-label': 'Source', tabindex: '-1', hidden: true }, close, body);
  document.body.append(popover);

  let anchor = null;
  let pinned = false;
  let hideTimer = 0;

  function show(chip, citation, pin) {
    clearTimeout(hideTimer);
    if (anchor && anchor !== chip) anchor.setAttribute('aria-expanded', 'false');
    anchor = chip;
    pinned = pin;
    body.replaceChildren(renderCitation(citation));
    close.setAttribute('aria-label', t('cite.close'));
    popover.setAttribute('aria-label', t('cite.source', { n: citation.n }));
    popover.hidden = false;
    chip.setAttribute('aria-expanded', 'true');
    position(chip);
    if (pin) popover.focus();
  }

  function hide({ restoreFocus = false } = {}) {
    clearTimeout(hideTimer);
    if (popover.hidden) return;
    popover.hidden = true;
    pinned = false;
    if (anchor) {
      anchor.setAttribute('aria-expanded', 'false');
      if (restoreFocus) anchor.focus();
    }
    anchor = null;
  }

  function scheduleHide() {
    if (pinned) return;
    clearTimeout(hideTimer);
    hideTimer = window.setTimeout(() => hide(), 250);
  }

  function position(chip) {
    const narrow = window.matchMedia(NARROW).matches;
    popover.classList.toggle('sheet', narrow);
    if (narrow) return;
    const rect = chip.getBoundingClientRect();
    const width = popover.offsetWidth;
    const height = popover.offsetHeight;
    const left = Math.min(Math.max(8, rect.left + rect.width / 2 - width / 2), window.innerWidth - width - 8);
    const below = rect.bottom + 8;
    const top = below + height > window.innerHeight - 8 && rect.top - height - 8 > 8 ? rect.top - height - 8 : below;
    popover.style.left = `${Math.round(left + window.scrollX)}px`;
    popover.style.top = `${Math.round(top + window.scrollY)}px`;
  }

  close.addEventListener('click', () => hide({ restoreFocus: true }));
  popover.addEventListener('mouseenter', () => clearTimeout(hideTimer));
  popover.addEventListener('mouseleave', scheduleHide);
  popover.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') hide({ restoreFocus: true });
  });
  popover.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('a')) hide();
  });
  document.addEventListener('click', (event) => {
    if (popover.hidden || !(event.target instanceof Element)) return;
    if (!popover.contains(event.target) && !event.target.closest('.cite')) hide();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !popover.hidden) hide({ restoreFocus: true });
  });

  return {
    /** Wires the chips inside `container` to the citations of their answer. */
    attach(container, citationsByN) {
      const find = (target) => {
        const chip = target instanceof Element ? target.closest('.cite') : null;
        if (!chip || !container.contains(chip)) return null;
        const citation = citationsByN.get(Number(chip.dataset.n));
        return citation ? { chip, citation } : null;
      };
      container.addEventListener('click', (event) => {
        const found = find(event.target);
        if (!found) return;
        event.preventDefault();
        if (anchor === found.chip && pinned) hide({ restoreFocus: true });
        else show(found.chip, found.citation, true);
      });
      container.addEventListener('mouseover', (event) => {
        // On a phone the popover is a bottom sheet; a hover preview there would cover the page.
        if (window.matchMedia(NARROW).matches) return;
        const found = find(event.target);
        if (found && !pinned) show(found.chip, found.citation, false);
      });
      container.addEventListener('mouseout', (event) => {
        if (find(event.target)) scheduleHide();
      });
    },
    hide,
  };
}

/**
 * A data source's title in the interface's language, from its provenance ("Computed: performance
 * of Russell 2000 (prices/RUT.csv), 2026-01-02 to 2026-01-30"); the server's English title when the
 * result carries no series or sessions.
 */
export function describeDataSource(citation) {
  const provenance = citation.result && typeof citation.result === 'object' ? citation.result.provenance : undefined;
  const series = Array.isArray(provenance?.series) ? provenance.series.map((entry) => `${entry.name} (${entry.origin})`).join(', ') : '';
  const sessions = provenance?.sessions;
  if (!series) return citation.title;
  const values = { tool: citation.tool ?? '', series, from: sessions?.from ?? '', to: sessions?.to ?? '' };
  return sessions?.from && sessions?.to ? t('sources.dataTitleSpan', values) : t('sources.dataTitle', values);
}

export function articleHref(citation) {
  if (!citation.articleId) return undefined;
  const chunk = citation.chunkId ? `?chunk=${encodeURIComponent(citation.chunkId)}` : '';
  return `#/article/${encodeURIComponent(citation.articleId)}${chunk}`;
}

export function renderCitation(citation) {
  if (citation.kind === 'data') return renderDataCitation(citation);
  const href = articleHref(citation);
  const meta = [citation.published ? formatDate(citation.published) : '', citation.section ?? ''].filter(Boolean).join(' · ');
  // A passage of a paged document (PDF) is cited with its page: "10-K 2023, p. 47".
  const label = citation.page ? `${citation.title}, p. ${citation.page}` : citation.title;
  const tickers = Array.isArray(citation.tickers) ? citation.tickers : [];
  const badges =
    citation.sample || citation.sentiment || tickers.length > 0
      ? h(
          'p',
          { className: 'cite-badges' },
          renderSampleBadge(citation),
          renderSentiment(citation.sentiment),
          tickers.map((ticker) => h('span', { className: 'tag tag-ticker' }, ticker)),
        )
      : null;
  return h(
    'div',
    { className: 'cite-detail' },
    h('p', { className: 'cite-kind' }, t('cite.article', { n: citation.n })),
    h('p', { className: 'cite-title' }, href ? h('a', { href }, label) : label),
    meta ? h('p', { className: 'cite-meta' }, meta) : null,
    badges,
    h('blockquote', { className: 'cite-snippet' }, citation.snippet ?? ''),
    href ? h('a', { className: 'cite-open', href }, t('cite.open')) : null,
  );
}

function renderDataCitation(citation) {
  const rows = flattenFigures(citation.result);
  const provenance = citation.result && typeof citation.result === 'object' ? citation.result.provenance : undefined;
  const conventions = Array.isArray(provenance?.conventions) ? provenance.conventions : [];
  const origins = Array.isArray(provenance?.series) ? provenance.series.map((series) => series.origin).filter(Boolean) : [];
  return h(
    'div',
    { className: 'cite-detail' },
    h('p', { className: 'cite-kind' }, t('cite.computed', { n: citation.n })),
    h('p', { className: 'cite-title' }, describeDataSource(citation)),
    h(
      'p',
      { className: 'cite-meta' },
      `${t('cite.tool')} `,
      h('code', {}, citation.tool ?? 'tool'),
      citation.arguments ? ` (${describeArguments(citation.arguments)})` : '',
    ),
    citation.snippet ? h('p', { className: 'cite-summary' }, citation.snippet) : null,
    rows.length > 0
      ? h(
          'table',
          { className: 'figures' },
          h('caption', { className: 'visually-hidden' }, t('cite.figures')),
          h(
            'tbody',
            {},
            rows.map(([label, value]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, value))),
          ),
        )
      : null,
    conventions.length > 0
      ? h(
          'details',
          { className: 'cite-conventions' },
          h('summary', {}, t('cite.conventions')),
          h(
            'ul',
            {},
            conventions.map((item) => h('li', {}, item)),
          ),
        )
      : null,
    origins.length > 0 ? h('p', { className: 'cite-meta' }, t('cite.data', { origins: origins.join(', ') })) : null,
  );
}
