import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { ChatService } from '../chat/chat-service.ts';
import type { ChatEvent } from '../chat/types.ts';
import { SearchFiltersSchema } from './search.ts';
import { openEventStream, streamWork, wantsEventStream } from '../sse.ts';

export const ChatBodySchema = z
  .object({
    message: z.string().trim().min(1, 'message must not be empty').max(4_000, 'message must be at most 4,000 characters'),
    conversationId: z
      .string()
      .trim()
      .regex(/^[\w-]{8,64}$/, 'conversationId must be 8–64 letters, digits, - or _')
      .optional(),
    filters: SearchFiltersSchema.optional(),
  })
  .strict();

/** `POST /api/chat`: JSON by default, Server-Sent Events with `Accept: text/event-stream`. */
export function createChatRouter(deps: { chat: ChatService }): Router {
  const router = Router();
  router.post('/', async (request, response) => {
    if (request.body === undefined) throw new AppError('bad_request', 'Send a JSON body: {"message": "..."}.');
    const body = ChatBodySchema.parse(request.body);
    const aborter = new AbortController();
    // The client hanging up (closing the socket before we answered) cancels the work.
    response.on('close', () => {
      if (!response.writableFinished) aborter.abort();
    });
    const chatRequest = {
      message: body.message,
      ...(body.conversationId ? { conversationId: body.conversationId } : {}),
      ...(body.filters ? { filters: body.filters } : {}),
    };

    if (!wantsEventStream(request.headers.accept)) {
      const result = await deps.chat.ask(chatRequest, { signal: aborter.signal });
      response.json(result);
      return;
    }

    const stream = openEventStream(response);
    const forward = (event: ChatEvent) => {
      const { type, ...data } = event;
      stream.send(type, type === 'done' ? event.response : data);
    };
    await streamWork(stream, () => deps.chat.ask(chatRequest, { signal: aborter.signal, onEvent: forward }));
  });
  return router;
}
