export interface SseEvent {
  event: string;
  data: unknown;
}
export function createSseParser(onEvent: (event: SseEvent) => void): { push(text: string): void; end(): void };
export function readEventStream(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void): Promise<void>;
