import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';

const INSTALL = '/opt/copilot';

describe('configuration: bundled data belongs to the install, user data to the data dir', () => {
  it("defaults the data dir to the install's data/, with the word-vector cache under the install", () => {
    const config = loadConfig({}, '/home/user', INSTALL);
    expect(config.dataDir).toBe(join(INSTALL, 'data'));
    expect(config.indexDir).toBe(join(INSTALL, 'data/index'));
    expect(config.pricesDirs).toEqual([join(INSTALL, 'data/prices')]);
    expect(config.sampleArticlesDirs).toEqual([join(INSTALL, 'data/articles')]);
    expect(config.wordVectorCacheDir).toBe(join(INSTALL, '.cache/word-vectors'));
  });

  it("keeps the bundled price files and sample corpus in reach when COPILOT_DATA_DIR points elsewhere, the user's first", () => {
    const config = loadConfig({ COPILOT_DATA_DIR: '/volume' }, '/home/user', INSTALL);
    expect(config.indexDir).toBe('/volume/index');
    expect(config.cacheDir).toBe('/volume/cache');
    expect(config.pricesDirs).toEqual(['/volume/prices', join(INSTALL, 'data/prices')]);
    expect(config.sampleArticlesDirs).toEqual([join(INSTALL, 'data/articles'), '/volume/articles']);
    // A new data dir does not rebuild the 140 MB word-vector cache.
    expect(config.wordVectorCacheDir).toBe(join(INSTALL, '.cache/word-vectors'));
  });

  it('moves caches where the environment says, relative to the working directory', () => {
    expect(loadConfig({ COPILOT_CACHE_DIR: 'cache' }, '/home/user', INSTALL)).toMatchObject({
      cacheDir: '/home/user/cache',
      wordVectorCacheDir: '/home/user/cache',
    });
    expect(loadConfig({ COPILOT_WORD_VECTOR_CACHE_DIR: '/tmp/wv' }, '/home/user', INSTALL).wordVectorCacheDir).toBe('/tmp/wv');
    expect(loadConfig({ COPILOT_SAMPLE_DIR: 'samples' }, '/home/user', INSTALL).sampleArticlesDirs).toEqual(['/home/user/samples']);
  });
});
