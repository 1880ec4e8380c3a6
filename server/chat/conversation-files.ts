import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { syncToDisk, writeFileAtomicAsync } from '../../kb/atomic-write.ts';
import { ConversationIdSchema, ConversationRecordSchema, type ConversationPersistence, type ConversationRecord } from './conversations.ts';

/**
 * Conversations on disk, one JSON file per conversation in `dir` (under the data dir, beside the
 * knowledge base). Each save replaces its file atomically (temporary file, fsync, rename, fsync of
 * the folder), so a crash leaves the previous or the new version, never a torn file; saves and
 * removals run on libuv's threads (their fsyncs held the event loop after every answer). A file
 * that does not parse is skipped and reported, not fatal: one damaged conversation must not stop a
 * start (loading is synchronous: it runs once, before the server listens).
 */
export function createConversationFiles(dir: string, options: { onSkipped?: (file: string, reason: string) => void } = {}): ConversationPersistence {
  const pathOf = (id: string) => join(dir, `${ConversationIdSchema.parse(id)}.json`);
  return {
    load() {
      if (!existsSync(dir)) return [];
      const records: ConversationRecord[] = [];
      for (const name of readdirSync(dir)) {
        if (!name.endsWith('.json') || name.startsWith('.')) continue;
        try {
          const parsed = ConversationRecordSchema.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
          if (parsed.success && `${parsed.data.id}.json` === name) records.push(parsed.data);
          else options.onSkipped?.(name, parsed.success ? 'its id does not match its file name' : (parsed.error.issues[0]?.message ?? 'invalid'));
        } catch (error) {
          options.onSkipped?.(name, error instanceof Error ? error.message : String(error));
        }
      }
      return records;
    },
    async save(record) {
      await mkdir(dir, { recursive: true });
      await writeFileAtomicAsync(pathOf(record.id), JSON.stringify(record));
    },
    async remove(id) {
      const path = pathOf(id);
      if (!existsSync(path)) return;
      await rm(path, { force: true });
      await syncToDisk(dir, 'r');
    },
  };
}
