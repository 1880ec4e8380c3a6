import { formatSourceBlocks } from '../chat/openai/source-blocks.ts';
import { AppError } from '../../lib/errors.ts';
import { promptVersion, renderPrompt, type PromptLibrary } from '../prompts.ts';
import { REQUIRED_HEADINGS } from './compose-report.ts';
import type { FigureConflict } from './conflicts.ts';
import { OPENAI_RESEARCH_DEFAULTS, requestCompletion, type ResearchModel, type TokenBudget } from './openai-client.ts';
import type { ReportSources } from './report-sources.ts';
import type { ResearchFindings } from './types.ts';

/**
 * The generative writer: the model writes the report's sections from the run's findings, citing
 * the numbered sources with [n]. What it returns is a draft like the offline composer's; the
 * service fills any section it left out, and the code finalizes it and writes the References.
 */
export interface GenerativeWriter {
  write(input: WriteInput): Promise<{ draft: string; promptId: string; truncated: boolean }>;
}

export interface WriteInput {
  question: string;
  today: string;
  language: 'en' | 'zh';
  findings: ResearchFindings;
  report: ReportSources;
  conflicts: FigureConflict[];
  signal: AbortSignal;
  budget: TokenBudget;
}

export function createOpenAIWriter(deps: ResearchModel & { prompts: PromptLibrary }): GenerativeWriter {
  const limits = { ...OPENAI_RESEARCH_DEFAULTS, ...deps.limits };
  const promptId = promptVersion(deps.prompts, 'research.write');
  return {
    async write(input) {
      const system = renderPrompt(deps.prompts, 'research.write', {
        today: input.today,
        languageInstruction: renderPrompt(deps.prompts, `language.${input.language}`),
        headings: REQUIRED_HEADINGS.map((heading) => `"## ${heading}"`).join(', '),
      });
      const { content, truncated } = await requestCompletion(deps, {
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: buildWriterTurn(input, renderPrompt(deps.prompts, 'sources', { sources: formatSourceBlocks(input.report.sources) })) },
        ],
        maxTokens: limits.writeMaxTokens,
        budget: input.budget,
        signal: input.signal,
      });
      if (!content.trim()) throw new AppError('upstream_unavailable', 'The language model returned an empty report.');
      return { draft: content.trim(), promptId, truncated };
    },
  };
}

/** What the model reads besides the sources (pure): the question, each step's findings by source number, the conflicts. */
export function buildWriterTurn(input: Pick<WriteInput, 'question' | 'findings' | 'report' | 'conflicts'>, sourcesBlock: string): string {
  const n = (runSource: number) => input.report.map[runSource]!;
  const steps = input.findings.steps.map((step, index) => {
    const lines = [`Step ${index + 1}: ${step.title} (searched: "${step.query}")${step.status === 'skipped' ? ` — not run: ${step.reason}` : ''}`];
    for (const computation of step.computations) lines.push(`- computed [${n(computation.source)}]: ${computation.summary}`);
    for (const sentence of step.sentences) lines.push(`- found [${n(sentence.source)}]: ${sentence.text}`);
    for (const error of step.errors) lines.push(`- failed${error.tool ? ` (${error.tool})` : ''}: ${error.message}`);
    if (lines.length === 1 && step.status === 'done') lines.push('- found nothing relevant');
    return lines.join('\n');
  });
  const conflicts = input.conflicts.map(
    (conflict) =>
      `- ${conflict.metric}: ${conflict.values.map((entry) => `${entry.value}x ${entry.sources.map((source) => `[${source}]`).join('')}${entry.basis ? ` (${entry.basis})` : ''}`).join(', ')}`,
  );
  return [
    `Question: ${input.question.trim()}`,
    'Findings by step:',
    steps.join('\n\n'),
    conflicts.length > 0
      ? `Conflicting figures detected across sources (name each as a conflict):\n${conflicts.join('\n')}`
      : 'No conflicting figures were detected.',
    sourcesBlock,
  ].join('\n\n');
}
