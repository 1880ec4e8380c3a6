import { nextTurn } from '../../lib/fair-turns.ts';
import type { KnowledgeStore } from '../../kb/store.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { renderPrompt, type PromptLibrary } from '../prompts.ts';
import { analyzeQuery } from '../retrieval/query-understanding.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { ToolContext } from '../tools/types.ts';
import { composeAnswer } from './offline/compose-answer.ts';
import { createEvidenceLedger } from './offline/evidence-ledger.ts';
import { gatherPassages } from './offline/gather-passages.ts';
import { readIntent } from './offline/intent.ts';
import { clampToData, computeLead, inspectSeries } from './offline/market-lead.ts';
import { readQuestion } from './offline/read-question.ts';
import { questionCoverage, sentenceWords } from '../evidence/select-sentences.ts';
import { selectSentences, sentenceLimit, type Candidate } from './offline/select-sentences.ts';
import { comparableTerms, documentOutranks, sentenceAnswersBetter } from './offline/choose-evidence.ts';
import { asksForDescription } from './offline/extract-span.ts';
import { answerFromTables } from './offline/table-answer.ts';
import { valuationLead } from './offline/valuation-lead.ts';
import { describeAdviceStance } from './offline/advice-stance.ts';
import { isAdviceRequest } from '../../lib/advice-requests.ts';
import type { AnswerEngine, EngineDraft, EngineInput, TurnContext } from './types.ts';

/**
 * The offline engine: extractive and deterministic, in stages with one job each (server/chat/offline/):
 * 1. read the question: its market intent (intent.ts) and what it asks of documents' tables (read-question.ts);
 * 2. gather the passages it may draw on (gather-passages.ts);
 * 3. plan and run the tools: cells of the retrieved tables (table-answer.ts), price series
 *    (market-lead.ts), stated multiples (valuation-lead.ts), every call cited through one ledger;
 * 4. pick the sentences that answer it (select-sentences.ts) and compose the answer, the direct
 *    answer first and every sentence cited (compose-answer.ts, templates in prompts/).
 */
export interface OfflineEngineDeps {
  kb: KnowledgeStore;
  embedder: Embedder;
  registry: ToolRegistry;
  toolContext: () => Omit<ToolContext, 'signal'>;
  prompts: PromptLibrary;
}

export function createOfflineEngine(deps: OfflineEngineDeps): AnswerEngine {
  return {
    mode: 'offline',
    async answer(input: EngineInput): Promise<EngineDraft> {
      // 1. Read the question.
      const previous = input.history.at(-1)?.context;
      const analysis = analyzeQuery(input.question, input.today);
      const intent = readIntent(input.question, analysis, previous);
      const reading = readQuestion(input.question);
      const marketQuestion = intent.symbols.length > 0 && intent.metrics.length > 0;
      // "What should I buy?" names nothing to look up or compute: the stance and what can be asked instead.
      // "Should I buy small caps?" is answered with what is known, opened by the same stance.
      const advice = isAdviceRequest(input.question);
      if (advice && !marketQuestion && analysis.entities.length === 0) {
        const context: TurnContext = { symbols: [], entityIds: [], topic: intent.searchQuery };
        return { text: describeAdviceStance(deps.prompts, input.language), sources: [], toolCalls: [], relevance: 'none', context };
      }

      // 2. Gather the passages.
      const { relevance, relevant, missing } = await gatherPassages(deps, { input, analysis, intent, reading, marketQuestion });
      input.emit({
        type: 'retrieval',
        sources: relevant.map((hit) => ({ chunkId: hit.chunk.id, articleId: hit.article.id, title: hit.article.title, score: round(hit.score) })),
      });
      const ledger = createEvidenceLedger(deps, input);
      const { sources, toolCalls } = ledger;

      // 3. Documents' tables: a list read off a table, or an answer computed from its cells, when a
      // table row answers better than any sentence does.
      const describes = asksForDescription(input.question);
      // Sentences already chosen while weighing a cell answer against them, to answer with.
      let preselected: Candidate[] | undefined;
      if (!marketQuestion && relevant.length > 0) {
        const forgetTableAnswer = ledger.checkpoint();
        const tableAnswer = await answerFromTables(
          { question: input.question, reading, hits: relevant, language: input.language, listsOnly: describes },
          { ...deps, ledger },
        );
        let answered = tableAnswer;
        if (tableAnswer?.from === 'cells') {
          // Each stage's reading is synchronous work of its own (tens of milliseconds on long
          // documents): other requests take their turn between stages, not after the whole answer.
          await nextTurn();
          const picked = await selectSentences(deps, intent, analysis, relevant, false, input.signal);
          // Both measured alike, on the question's terms either could hold. The cells' own names
          // count as well as the lead's words: a lead may shorten the column title the question names.
          const coverageOf = await questionCoverage(deps.kb, comparableTerms(analysis));
          const cellCoverage = coverageOf(sentenceWords(`${tableAnswer.lead.replace(/\[\d+\]/g, ' ')} ${tableAnswer.naming ?? ''}`));
          const sentence = picked[0] && { ...picked[0], coverage: coverageOf(sentenceWords(picked[0].text)) };
          const sentenceOutranks =
            sentence !== undefined &&
            documentOutranks(
              relevant,
              sentence.hit.article.id,
              tableAnswer.hits.map((hit) => hit.article.id),
            );
          if (sentenceAnswersBetter({ reading, cellCoverage, sentence, sentenceOutranks })) {
            answered = undefined;
            preselected = picked;
          }
        }
        // A table answer not given (or given up for a sentence) leaves no computation in the answer's tool calls.
        if (!answered) forgetTableAnswer();
        if (answered) {
          const context: TurnContext = { symbols: [], entityIds: analysis.entities.map((entity) => entity.id), topic: intent.searchQuery };
          // A name the documents never mention is said, not silently swapped for what was found.
          const titles = [...new Set(answered.hits.map((hit) => hit.article.title))].join('; ');
          const note = missing.length > 0 ? [renderPrompt(deps.prompts, `cells-unnamed.${input.language}`, { names: missing.join(', '), titles })] : [];
          return { text: [answered.lead, ...answered.details, ...note].join('\n\n'), sources, toolCalls, relevance, context };
        }
      }
      // Outside the table path, a question about a name no document mentions gets a plain "not found".
      if (missing.length > 0) relevant.splice(0);

      // 3. Price series and stated multiples; 4. the sentences that answer.
      await nextTurn();
      const held = await inspectSeries(deps.toolContext, intent.symbols, input.signal);
      const lead = await computeLead(clampToData(intent, held.latest), input, ledger.runTool, held, deps.prompts);
      // Whether sentences were picked as support for computed figures (valuation premiums come after).
      const computed = lead.length > 0;
      const sentences =
        relevant.length === 0
          ? []
          : lead.length === 0 && preselected
            ? preselected
            : await selectSentences(deps, intent, analysis, relevant, computed, input.signal);
      // Valuation questions: the multiples the articles state, and the premium computed from them.
      if (intent.metrics.includes('valuation') && sentences.length + relevant.length > 0) {
        await nextTurn();
        lead.push(...(await valuationLead(analysis, relevant, input.language, { runTool: ledger.runTool, cite: ledger.cite, prompts: deps.prompts })));
      }

      const context: TurnContext = {
        symbols: intent.symbols,
        entityIds: analysis.entities.map((entity) => entity.id),
        ...(intent.period ? { period: intent.period } : {}),
        ...(intent.asOf ? { asOf: intent.asOf } : {}),
        topic: intent.searchQuery,
      };
      await nextTurn();
      const topic = missing.join(', ') || analysis.entities.map((entity) => entity.name).join(', ') || input.question.slice(0, 120);
      const composed = composeAnswer(
        { question: input.question, intent, language: input.language, lead, sentences, limit: sentenceLimit(intent, computed), relevant, topic },
        { prompts: deps.prompts, cite: ledger.cite },
      );
      const text = advice && relevance !== 'none' ? `${renderPrompt(deps.prompts, `advice-brief.${input.language}`)}\n\n${composed}` : composed;
      return { text, sources, toolCalls, relevance, context };
    },
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
