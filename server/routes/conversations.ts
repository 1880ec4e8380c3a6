import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { ConversationIdSchema, type ConversationStore } from '../chat/conversations.ts';

const ConversationParamsSchema = z.object({ id: ConversationIdSchema });

/**
 * The stored conversations: `GET /` lists them (most recent first), `GET /:id` returns one with
 * its turns as the chat route answered them, `DELETE /:id` forgets it (memory and disk).
 */
export function createConversationsRouter(deps: { conversations: ConversationStore }): Router {
  const router = Router();

  router.get('/', (_request, response) => {
    response.json({ conversations: deps.conversations.list() });
  });

  router.get('/:id', (request, response) => {
    const { id } = ConversationParamsSchema.parse(request.params);
    const record = deps.conversations.get(id);
    if (!record) throw notFound(id);
    response.json({
      id: record.id,
      title: record.title,
      created: record.created,
      updated: record.updated,
      turns: record.turns.map((turn) => ({
        question: turn.question,
        ...(turn.at ? { at: turn.at } : {}),
        ...(turn.shown ? { response: turn.shown } : { response: { answer: turn.answer, citations: [], toolCalls: [] } }),
      })),
    });
  });

  router.delete('/:id', async (request, response) => {
    const { id } = ConversationParamsSchema.parse(request.params);
    if (!(await deps.conversations.remove(id))) throw notFound(id);
    response.status(204).end();
  });

  return router;
}

function notFound(id: string): AppError {
  return new AppError('not_found', `No conversation with id ${JSON.stringify(id)}; it may have been deleted. GET /api/conversations lists them.`);
}
