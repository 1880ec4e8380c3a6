import { describe, expect, it } from 'vitest';
import { answerSplit, factPresent } from '../../bench/answers/evaluate.ts';

describe('answer set judge', () => {
  it('matches figures as whole numbers: "20" is not in "Russell 2000"', () => {
    expect(factPresent('The Russell 2000 rose.', '20')).toBe(false);
    expect(factPresent('It trades at 20x earnings.', '20')).toBe(true);
    expect(factPresent('Up 7.53% since December.', '7.53')).toBe(true);
    expect(factPresent('Up 17.53% since December.', '7.53')).toBe(false);
  });

  it('accepts a more precise figure that rounds to the fact, and thousands separators either way', () => {
    expect(factPresent('It closed at 2,601.54.', '2,601.5')).toBe(true);
    expect(factPresent('It closed at 2601.50.', '2,601.5')).toBe(true);
    expect(factPresent('It closed at 2,601.58.', '2,601.5')).toBe(false);
    expect(factPresent('罗素2000从纪录高点下跌了11.2%', '11.2')).toBe(true);
  });

  it('matches words case-insensitively', () => {
    expect(factPresent('Loss-making companies weigh on it.', 'loss-making')).toBe(true);
  });

  it('splits questions into tune and report halves deterministically', () => {
    expect(answerSplit('a01')).toBe(answerSplit('a01'));
    expect(new Set(Array.from({ length: 40 }, (_, index) => answerSplit(`a${index}`)))).toEqual(new Set(['tune', 'report']));
  });
});
