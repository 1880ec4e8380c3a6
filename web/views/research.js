import { api, isAbort } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { buildReportMarkdown, stripDisclaimer } from '../lib/export-markdown.js';
import { describeArguments } from '../lib/figures.js';
import { t } from '../lib/i18n.js';
import { findMarkers, renderMarkdown } from '../lib/markdown.js';
import { renderAnswerActions } from './answer-actions.js';
import { citationMap, frameThrottle, renderAnswerMarkdown, renderError, renderSourcesList, renderToolCharts } from './message-parts.js';

/**
 * A deep-research run inside the conversation: the proposed plan as editable steps (unless
 * auto-accept is on), then progress step by step, then the report with numbered references.
 */
export function startResearch({ question, autoAccept, thread, popover, setBusy, scrollToEnd, conversationId, onConversation = () => {} }) {
  const card = researchCard(question);
  thread.append(card);
  const context = { popover, setBusy, scrollToEnd, conversationId, onConversation };
  if (autoAccept) void run(card, { question, autoAccept: true }, context);
  else void plan(card, question, context);
}

function researchCard(question) {
  return h('div', { className: 'msg msg-assistant research', 'aria-label': t('research.card', { question }), role: 'region' });
}

/** A stored research turn, as a reload shows it: the report alone (its progress is over). */
export function renderStoredResearch(question, report, popover) {
  const card = researchCard(question);
  card.append(renderReport(report));
  popover.attach(card, citationMap(report.citations));
  card.dataset.state = 'done';
  return card;
}

async function plan(card, question, context) {
  card.replaceChildren(h('p', { className: 'msg-status', role: 'status' }, h('span', { className: 'spinner', 'aria-hidden': 'true' }), t('research.drafting')));
  const controller = new AbortController();
  context.setBusy(controller);
  try {
    const proposed = await api.planResearch(question, controller.signal);
    context.setBusy(undefined);
    card.replaceChildren(
      renderPlanEditor(proposed, {
        onRun: (steps) => void run(card, { planId: proposed.planId, steps }, context),
        onCancel: () => card.replaceChildren(h('p', { className: 'msg-status msg-stopped' }, t('research.cancelled'))),
      }),
    );
    card.querySelector('input')?.focus();
    context.scrollToEnd(true);
  } catch (error) {
    context.setBusy(undefined);
    if (isAbort(error)) card.replaceChildren(h('p', { className: 'msg-status msg-stopped' }, t('chat.stopped')));
    else card.replaceChildren(renderError(error, () => void plan(card, question, context)));
  }
}

let addedSteps = 0;

/** The editable plan: each step's title and query can be edited, moved, deleted; steps can be added. */
export function renderPlanEditor(proposed, { onRun, onCancel }) {
  const steps = proposed.steps.map((step) => ({ id: step.id, title: step.title ?? '', query: step.query ?? '', tools: step.tools ?? [] }));
  const list = h('ol', { className: 'plan-steps' });
  const runButton = h('button', { type: 'submit', className: 'button button-primary' }, t('research.run'));
  const cancelButton = h('button', { type: 'button', className: 'button' }, t('research.cancel'));
  const addButton = h('button', { type: 'button', className: 'button button-quiet' }, t('research.addStep'));
  const problem = h('p', { className: 'field-error', role: 'alert', hidden: true });

  function renderSteps(focus) {
    list.replaceChildren(...steps.map((step, index) => renderStep(step, index)));
    if (focus) list.querySelector(focus)?.focus();
  }

  function renderStep(step, index) {
    const number = index + 1;
    const title = h('input', {
      type: 'text',
      className: 'step-title',
      value: step.title,
      'aria-label': t('research.stepTitle', { n: number }),
      maxlength: '300',
    });
    const query = h('textarea', { className: 'step-query', rows: '2', 'aria-label': t('research.stepQuery', { n: number }), maxlength: '1000' });
    query.value = step.query;
    title.addEventListener('input', () => (step.title = title.value));
    query.addEventListener('input', () => (step.query = query.value));
    const up = iconButton('↑', t('research.moveUp', { n: number }), index === 0, () => move(index, -1, `[data-step="${step.id}"] .move-up`));
    up.classList.add('move-up');
    const down = iconButton('↓', t('research.moveDown', { n: number }), index === steps.length - 1, () =>
      move(index, 1, `[data-step="${step.id}"] .move-down`),
    );
    down.classList.add('move-down');
    const remove = iconButton('×', t('research.deleteStep', { n: number }), false, () => {
      steps.splice(index, 1);
      renderSteps(steps.length > 0 ? `li:nth-child(${Math.min(index + 1, steps.length)}) .step-title` : undefined);
      if (steps.length === 0) addButton.focus();
    });
    return h(
      'li',
      { className: 'plan-step', dataset: { step: step.id } },
      h(
        'div',
        { className: 'step-head' },
        h('span', { className: 'step-number' }, t('research.step', { n: number })),
        h('span', { className: 'step-buttons' }, up, down, remove),
      ),
      title,
      query,
      step.tools.length > 0
        ? h(
            'p',
            { className: 'step-tools' },
            t('research.tools'),
            step.tools.map((tool, toolIndex) => [toolIndex > 0 ? '; ' : '', h('code', {}, tool.name), ` ${describeArguments(tool.arguments)}`]),
          )
        : null,
    );
  }

  function move(index, delta, focus) {
    const target = index + delta;
    if (target < 0 || target >= steps.length) return;
    [steps[index], steps[target]] = [steps[target], steps[index]];
    renderSteps(focus);
  }

  addButton.addEventListener('click', () => {
    addedSteps += 1;
    steps.push({ id: `added-${addedSteps}`, title: '', query: '', tools: [] });
    renderSteps(`li:last-child .step-title`);
  });
  cancelButton.addEventListener('click', onCancel);

  const form = h(
    'form',
    { className: 'plan-editor', 'aria-label': t('research.plan') },
    h('h3', {}, t('research.proposed')),
    h('p', { className: 'hint' }, t('research.hint')),
    list,
    addButton,
    problem,
    h('div', { className: 'form-actions' }, runButton, cancelButton),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const ready = steps.map((step) => ({ ...step, title: step.title.trim(), query: step.query.trim() }));
    const blank = ready.findIndex((step) => !step.query);
    if (ready.length === 0 || blank !== -1) {
      problem.hidden = false;
      problem.textContent = ready.length === 0 ? t('research.needStep') : t('research.needQuery', { n: blank + 1 });
      return;
    }
    problem.hidden = true;
    onRun(ready.map((step) => ({ id: step.id, title: step.title || step.query, query: step.query, tools: step.tools })));
  });
  renderSteps();
  return form;
}

function iconButton(label, accessibleName, disabled, onClick) {
  const button = h('button', { type: 'button', className: 'icon-button', 'aria-label': accessibleName, title: accessibleName, disabled }, label);
  button.addEventListener('click', onClick);
  return button;
}

async function run(card, body, context) {
  const progressList = h('ol', { className: 'progress-steps' });
  const draft = h('div', { className: 'markdown streaming report-draft' });
  const status = h('p', { className: 'msg-status', role: 'status' }, h('span', { className: 'spinner', 'aria-hidden': 'true' }), t('research.running'));
  card.replaceChildren(
    h('section', { className: 'research-progress', 'aria-label': t('research.progressLabel') }, h('h3', {}, t('research.progress')), progressList),
    status,
    draft,
  );
  const items = new Map();
  let current;
  if (body.steps) showSteps(body.steps);

  function showSteps(steps) {
    progressList.replaceChildren();
    items.clear();
    for (const step of steps) {
      const badge = h('span', { className: 'step-status', dataset: { status: 'waiting' } }, t('research.waiting'));
      const detail = h('div', { className: 'step-detail' });
      const item = h(
        'li',
        { className: 'progress-step', dataset: { step: step.id, status: 'waiting' } },
        badge,
        h('span', { className: 'progress-title' }, step.title || step.query),
        detail,
      );
      items.set(step.id, { item, badge, detail });
      progressList.append(item);
    }
  }

  let streamed = '';
  const draw = frameThrottle(() => {
    draft.replaceChildren(renderMarkdown(streamed));
    context.scrollToEnd();
  });
  const controller = new AbortController();
  context.setBusy(controller);
  try {
    const done = await api.runResearch(context.conversationId ? { ...body, conversationId: context.conversationId } : body, {
      signal: controller.signal,
      onEvent(event, data) {
        if (event === 'plan' && Array.isArray(data?.steps)) showSteps(data.steps);
        else if (event === 'step') {
          const entry = items.get(data?.id);
          if (!entry) return;
          const started = data.status === 'started';
          entry.item.dataset.status = started ? 'running' : 'done';
          entry.badge.dataset.status = started ? 'running' : 'done';
          entry.badge.textContent = started ? t('research.stepRunning') : t('research.stepDone');
          if (started) current = entry;
          if (!started && data.findings !== undefined) entry.detail.append(h('p', { className: 'findings' }, describeFindings(data.findings)));
        } else if (event === 'tool') {
          const line = h(
            'p',
            { className: 'step-tool' },
            t('research.computed'),
            h('code', {}, String(data?.name ?? 'tool')),
            ` ${describeArguments(data?.arguments)}`,
          );
          (current?.detail ?? progressList).append(line);
        } else if (event === 'token' && typeof data?.text === 'string') {
          status.lastChild.textContent = t('research.writing');
          streamed += data.text;
          draw();
        }
        context.scrollToEnd();
      },
    });
    status.remove();
    draft.remove();
    const report = done.report ?? done;
    card.append(renderReport(report));
    context.popover.attach(card, citationMap(report.citations));
    card.dataset.state = 'done';
    if (done.conversationId) context.onConversation(done.conversationId);
  } catch (error) {
    if (isAbort(error)) {
      status.replaceChildren(t('chat.stopped'));
      status.classList.add('msg-stopped');
    } else {
      status.remove();
      card.append(renderError(error, () => void run(card, body, context)));
    }
    card.dataset.state = 'failed';
  } finally {
    context.setBusy(undefined);
    context.scrollToEnd();
  }
}

function describeFindings(findings) {
  if (typeof findings === 'string') return findings;
  if (Array.isArray(findings)) return t(findings.length === 1 ? 'research.finding' : 'research.findings', { count: findings.length });
  if (findings && typeof findings === 'object' && typeof findings.summary === 'string') return findings.summary;
  return '';
}

/** Markdown cut before each `###`/`####` heading, so a chart can follow the subsection that discusses it. */
export function splitSubsections(markdown) {
  return String(markdown)
    .split(/\n(?=#{3,4}\s)/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** A section that is only a list of `[n] …` lines: the server's references, shown as the list below. */
function isReferenceList(section) {
  const lines = String(section.markdown ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.length > 0 && lines.every((line) => /^(?:[-*]\s+)?\[\d+\]/.test(line));
}

export function renderReport(report) {
  const citations = report.citations ?? [];
  const sections = Array.isArray(report.sections) && report.sections.length > 0 ? report.sections.filter((section) => !isReferenceList(section)) : undefined;
  const dataCalls = citations
    .filter((citation) => citation.kind === 'data' && citation.result)
    .map((citation) => ({ n: citation.n, name: citation.tool, arguments: citation.arguments, result: citation.result }));
  // Each chart sits right after the part of the report that first cites its figures (a theme's
  // subsection of the analysis, or a section); the rest close the report, before the references.
  const charted = new Set();
  const chartsFor = (markdown) => {
    const cited = new Set(findMarkers(String(markdown ?? '')).flatMap((marker) => marker.numbers));
    const calls = dataCalls.filter((call) => cited.has(call.n) && !charted.has(call.n));
    for (const call of calls) charted.add(call.n);
    const charts = calls.length > 0 ? renderToolCharts(calls) : null;
    charts?.setAttribute('data-cites', calls.map((call) => call.n).join(' '));
    return charts;
  };
  const renderWithCharts = (markdown) =>
    splitSubsections(stripDisclaimer(markdown ?? '', report.disclaimer)).map((part) => [renderAnswerMarkdown(part, citations), chartsFor(part)]);
  const body = sections
    ? sections.map((section) => h('section', { className: 'report-section' }, h('h3', {}, section.heading ?? ''), renderWithCharts(section.markdown)))
    : renderWithCharts(report.markdown);
  const rest = dataCalls.filter((call) => !charted.has(call.n));
  const article = h(
    'article',
    { className: 'report', 'aria-label': t('research.report') },
    h('h2', { className: 'report-title' }, report.title ?? t('research.report')),
    body,
    rest.length > 0 ? renderToolCharts(rest) : null,
    renderSourcesList(citations, { heading: t('sources.references') }),
  );
  article.append(
    renderAnswerActions({
      getMarkdown: () => buildReportMarkdown(report, { origin: location.origin, headings: { references: t('sources.references') } }),
      title: () => report.title ?? 'research report',
      target: () => article.closest('.msg') ?? article,
      companions: () => {
        const card = article.closest('.msg');
        const question = card?.previousElementSibling;
        return question?.classList.contains('msg-user') ? [question] : [];
      },
    }),
  );
  return article;
}
