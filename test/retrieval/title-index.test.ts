import { describe, expect, it } from 'vitest';
import { normalizeTitle, TitleIndex, titleIndexOf } from '../../server/retrieval/title-index.ts';

const articles = [
  { id: 'a1', title: 'Harbor Freight Volumes Climb in the Third Quarter' },
  { id: 'a2', title: 'Freight Rates and the Harbor Strike' },
  { id: 'a3', title: 'Third Quarter Results: Harbor Freight Volumes Climb Again' },
  { id: 'a4', title: 'Cranes' },
  { id: 'a5', title: '港口货运量上升' },
];

/** What the index answers, by scanning every title (the way matching worked before the index). */
function scanHolding(phrase: string): string[] {
  return articles.filter((article) => ` ${normalizeTitle(article.title)} `.includes(` ${phrase} `)).map((article) => article.id);
}

function scanWithin(text: string, minWords: number): string[] {
  return articles
    .filter((article) => {
      const title = normalizeTitle(article.title);
      return title.split(' ').length >= minWords && ` ${text} `.includes(` ${title} `);
    })
    .map((article) => article.id);
}

describe('TitleIndex', () => {
  const index = TitleIndex.of(articles);

  it('finds the titles holding a phrase as whole words in a row, in the order the articles came', () => {
    for (const phrase of [
      'harbor freight volumes climb',
      'third quarter',
      'freight',
      'harbor strike',
      'volumes harbor',
      'crane',
      '港口货运量上升',
      'no such words',
    ]) {
      expect(index.holding(phrase).map((entry) => entry.id)).toEqual(scanHolding(phrase));
    }
    expect(index.holding('third quarter').map((entry) => entry.id)).toEqual(['a1', 'a3']);
  });

  it('finds the titles a question writes out whole, from a number of words on', () => {
    const questions = [
      'What does Harbor Freight Volumes Climb in the Third Quarter say about cranes?',
      'Compare freight rates and the harbor strike with cranes',
      'Third quarter results harbor freight volumes climb again and harbor freight volumes climb in the third quarter',
      'nothing named here',
    ];
    for (const question of questions) {
      for (const minWords of [1, 4]) {
        expect(index.within(normalizeTitle(question), minWords).map((entry) => entry.id)).toEqual(scanWithin(normalizeTitle(question), minWords));
      }
    }
    expect(index.within(normalizeTitle(questions[2]!), 4).map((entry) => entry.id)).toEqual(['a1', 'a3']);
    // A one-word title counts only when short titles are allowed.
    expect(index.within(normalizeTitle(questions[1]!), 4).map((entry) => entry.id)).toEqual(['a2']);
    expect(index.within(normalizeTitle(questions[1]!), 1).map((entry) => entry.id)).toEqual(['a2', 'a4']);
  });

  it('is built once per knowledge-base version and brought up to date when the version changes', async () => {
    let version = 1;
    let reads = 0;
    const kb = {
      version: async () => version,
      articleTitles: async () => {
        reads += 1;
        return version === 1 ? articles.slice(0, 2) : articles;
      },
    };
    const first = await titleIndexOf(kb);
    expect(await titleIndexOf(kb)).toBe(first);
    expect(reads).toBe(1);
    expect(first.holding('cranes')).toEqual([]);
    version = 2;
    const second = await titleIndexOf(kb);
    expect(reads).toBe(2);
    expect(second.holding('cranes').map((entry) => entry.id)).toEqual(['a4']);
    expect(second.holding('harbor').map((entry) => entry.id)).toEqual(['a1', 'a2', 'a3']);
  });

  it('answers after any sequence of additions, renames, removals and reorderings as an index built afresh', () => {
    const words = ['harbor', 'freight', 'volumes', 'climb', 'third', 'quarter', 'rates', 'strike', 'cranes', 'results'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const titleOf = () => Array.from({ length: 1 + random(5) }, () => words[random(words.length)]!).join(' ');
    let current = Array.from({ length: 30 }, (_, index) => ({ id: `p${index}`, title: titleOf() }));
    const updated = TitleIndex.of(current);
    let next = 30;
    for (let round = 0; round < 40; round += 1) {
      current = current
        .filter(() => random(10) > 0)
        .map((article) => (random(8) === 0 ? { id: article.id, title: titleOf() } : article))
        .concat(Array.from({ length: random(4) }, () => ({ id: `p${next++}`, title: titleOf() })));
      if (random(3) === 0) current.reverse();
      updated.update(current);
      const fresh = TitleIndex.of(current);
      for (let probe = 0; probe < 5; probe += 1) {
        const phrase = titleOf();
        expect(updated.holding(phrase)).toEqual(fresh.holding(phrase));
        const question = `${titleOf()} ${titleOf()}`;
        expect(updated.within(question, 1)).toEqual(fresh.within(question, 1));
      }
    }
  });

  it('indexes only the articles after those it was last given when the rest are the same objects, and walks the list otherwise', () => {
    let idReads = 0;
    const watched = (id: string, title: string) => ({
      title,
      get id() {
        idReads += 1;
        return id;
      },
    });
    const first = articles.map((article) => watched(article.id, article.title));
    const index = TitleIndex.of(first);
    idReads = 0;
    const appended = [...first, watched('a6', 'Harbor Cranes Order'), watched('a7', 'Freight Rates Ease')];
    index.update(appended);
    // Three reads for each new article (looked up, stored, placed), none for the five others.
    expect(idReads).toBeLessThanOrEqual(3 * 2);
    const fresh = TitleIndex.of(appended.map(({ id, title }) => ({ id, title })));
    for (const phrase of ['harbor', 'freight rates', 'cranes', 'third quarter']) expect(index.holding(phrase)).toEqual(fresh.holding(phrase));
    expect(index.within('did the harbor cranes order arrive', 3).map((entry) => entry.id)).toEqual(['a6']);
    // A new object for an article already there (renamed in place) is found by walking the list.
    const renamed = appended.map((article) => (article.id === 'a4' ? watched('a4', 'Harbor Cranes Idle') : article));
    index.update(renamed);
    expect(idReads).toBeGreaterThan(renamed.length);
    expect(index.holding('cranes').map((entry) => entry.id)).toEqual(['a4', 'a6']);
    expect(index.holding('cranes idle').map((entry) => entry.id)).toEqual(['a4']);
    // And one gone from the list is gone from the index.
    const shorter = renamed.filter((article) => article.id !== 'a6');
    index.update(shorter);
    expect(index.holding('cranes').map((entry) => entry.id)).toEqual(['a4']);
    // The list it was given, changed in place by its caller afterwards, is not taken for the one it indexed.
    shorter[0] = watched('a1', 'Cranes Everywhere');
    index.update(shorter);
    expect(index.holding('cranes everywhere').map((entry) => entry.id)).toEqual(['a1']);
  });

  it('builds in slices, pausing between them, the index built in one piece (an article named twice keeps its last title)', async () => {
    const words = ['harbor', 'freight', 'volumes', 'climb', 'third', 'quarter', 'rates', 'strike', 'cranes', 'results'];
    const list = Array.from({ length: 500 }, (_, index) => ({
      id: `b${index % 480}`,
      title: `${words[index % words.length]} ${words[(index * 7) % words.length]} ${words[(index * 3) % words.length]}`,
    }));
    let pauses = 0;
    const sliced = await TitleIndex.build(list, {
      sliceMs: 0,
      pause: async () => {
        pauses += 1;
      },
    });
    expect(pauses).toBeGreaterThan(1);
    const whole = TitleIndex.of(list);
    for (const phrase of ['harbor', 'freight volumes', 'third quarter rates', 'cranes results harbor']) {
      expect(sliced.holding(phrase)).toEqual(whole.holding(phrase));
      expect(sliced.within(`why ${phrase} now`, 1)).toEqual(whole.within(`why ${phrase} now`, 1));
    }
    // Brought up to date later as an index built in one piece is.
    const next = list.slice(100).concat([{ id: 'c1', title: 'Cranes and harbor rates' }]);
    sliced.update(next);
    whole.update(next);
    expect(sliced.holding('cranes')).toEqual(whole.holding('cranes'));
    expect(sliced.holding('harbor rates').map((entry) => entry.id)).toContain('c1');
  });

  it('lets the event loop run while a large index is built, and builds it once for questions arriving meanwhile', async () => {
    const list = Array.from({ length: 60_000 }, (_, index) => ({ id: `t${index}`, title: `Company ${index} results for quarter ${index % 4}` }));
    const kb = { version: async () => 1, articleTitles: async () => list };
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 0);
    try {
      const [first, second] = await Promise.all([titleIndexOf(kb), titleIndexOf(kb)]);
      expect(second).toBe(first);
      expect(first.holding('company 59999').map((entry) => entry.id)).toEqual(['t59999']);
      // A build in one piece lets no timer run until it ends.
      expect(ticks).toBeGreaterThan(0);
    } finally {
      clearInterval(ticker);
    }
  });
});
