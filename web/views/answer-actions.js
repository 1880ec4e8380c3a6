import { h } from '../lib/dom.js';
import { markdownFileName } from '../lib/export-markdown.js';
import { t } from '../lib/i18n.js';

/**
 * Copy, export and print for one answer or report. `getMarkdown()` builds the Markdown when asked
 * (so it reflects the final answer); `target` is the element printed alone, with `companions`
 * (the question it answers) printed beside it.
 */
export function renderAnswerActions({ getMarkdown, title, target, companions = [] }) {
  const copy = h('button', { type: 'button', className: 'button button-small', dataset: { action: 'copy' } }, t('actions.copy'));
  const exportButton = h('button', { type: 'button', className: 'button button-small', dataset: { action: 'export' } }, t('actions.export'));
  const print = h('button', { type: 'button', className: 'button button-small', dataset: { action: 'print' } }, t('actions.print'));
  const feedback = h('span', { className: 'action-feedback', role: 'status' });

  copy.addEventListener('click', async () => {
    const copied = await copyText(getMarkdown());
    feedback.textContent = copied ? t('actions.copied') : t('actions.copyFailed');
    window.setTimeout(() => (feedback.textContent = ''), 2500);
  });
  exportButton.addEventListener('click', () => download(markdownFileName(title()), getMarkdown()));
  print.addEventListener('click', () => printAlone(target(), companions()));

  return h('div', { className: 'answer-actions', role: 'group', 'aria-label': t('actions.label') }, copy, exportButton, print, feedback);
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (an insecure origin, or permission refused): the selection route still works.
    const area = h('textarea', { className: 'visually-hidden', 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch {
      copied = false;
    }
    area.remove();
    return copied;
  }
}

function download(fileName, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' }));
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Prints one message: the print stylesheet hides everything not marked as a print target. The
 * marks stay until `afterprint` (or the next print), which is harmless on screen.
 */
function printAlone(target, companions) {
  for (const element of document.querySelectorAll('.print-target')) element.classList.remove('print-target');
  const marked = [target, ...companions].filter(Boolean);
  for (const element of marked) element.classList.add('print-target');
  document.body.classList.add('print-one');
  window.addEventListener(
    'afterprint',
    () => {
      for (const element of marked) element.classList.remove('print-target');
      document.body.classList.remove('print-one');
    },
    { once: true },
  );
  window.print();
}
