import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { readFrontMatter } from '../lib/front-matter.ts';

/**
 * Prompts live in `prompts/*.md` as files with front matter (id, version, variables) and a body
 * with `{{slot}}` placeholders. They are loaded and validated once at start: a body that uses an
 * undeclared slot, or declares one it never uses, fails the start. Rendering is pure.
 */
const FrontMatterSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  version: z.coerce.number().int().positive(),
  variables: z.array(z.string().regex(/^[a-z][a-zA-Z0-9]*$/)).default([]),
  description: z.string().optional(),
});

export interface PromptTemplate {
  id: string;
  version: number;
  variables: string[];
  body: string;
}

export type PromptLibrary = ReadonlyMap<string, PromptTemplate>;

const SLOT = /\{\{\s*([a-zA-Z][a-zA-Z0-9]*)\s*\}\}/g;

export function parsePromptFile(name: string, content: string): PromptTemplate {
  const { data, body: rawBody, error } = readFrontMatter(content.replace(/\r\n/g, '\n'));
  if (!data)
    throw new AppError('internal', `Prompt ${name} has no front matter (--- id, version, variables ---) or it is not valid YAML${error ? `: ${error}` : ''}.`);
  const fields = data;
  const parsed = FrontMatterSchema.safeParse(fields);
  if (!parsed.success) throw new AppError('internal', `Prompt ${name}: bad front matter: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  const body = rawBody.trim();
  const used = new Set([...body.matchAll(SLOT)].map((slot) => slot[1]!));
  const declared = new Set(parsed.data.variables);
  const undeclared = [...used].filter((slot) => !declared.has(slot));
  if (undeclared.length) throw new AppError('internal', `Prompt ${name} uses undeclared variables: ${undeclared.join(', ')}.`);
  const unused = [...declared].filter((slot) => !used.has(slot));
  if (unused.length) throw new AppError('internal', `Prompt ${name} declares variables it never uses: ${unused.join(', ')}.`);
  return { id: parsed.data.id, version: parsed.data.version, variables: parsed.data.variables, body };
}

export function loadPromptLibrary(dir: string): PromptLibrary {
  const library = new Map<string, PromptTemplate>();
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()) {
    const template = parsePromptFile(file, readFileSync(join(dir, file), 'utf8'));
    if (library.has(template.id)) throw new AppError('internal', `Two prompts have the id ${template.id}.`);
    library.set(template.id, template);
  }
  return library;
}

/** Fills a template's slots; every declared variable must be given. */
export function renderPrompt(library: PromptLibrary, id: string, values: Record<string, string> = {}): string {
  const template = library.get(id);
  if (!template) throw new AppError('internal', `No prompt with id ${id}.`);
  for (const variable of template.variables) {
    if (values[variable] === undefined) throw new AppError('internal', `Prompt ${id} needs the variable ${variable}.`);
  }
  return template.body.replace(SLOT, (_slot, name: string) => values[name]!);
}

export function promptVersion(library: PromptLibrary, id: string): string {
  const template = library.get(id);
  return template ? `${template.id}@${template.version}` : id;
}
