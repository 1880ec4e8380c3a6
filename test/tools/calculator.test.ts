import { describe, expect, it } from 'vitest';
import { evaluateExpression } from '../../server/tools/definitions/calculator.ts';

describe('evaluateExpression', () => {
  it.each([
    ['(2669.16 - 2482.23) / 2482.23 * 100', 7.530728417592239],
    ['2 + 3 * 4 ^ 2', 50],
    ['-(3 - 5)', 2],
    ['2(3 + 4)', 14],
    ['50% * 200', 100],
    ['10 % 3', 1],
    ['sqrt(252) * 0.96', Math.sqrt(252) * 0.96],
    ['max(31, 18) / min(31, 18)', 31 / 18],
    ['round(31 / 18 * 100 - 100, 2)', 72.22],
    ['log(8, 2)', 3],
    ['2 * pi', 2 * Math.PI],
  ])('%s = %d', (expression, expected) => {
    expect(evaluateExpression(expression)).toBeCloseTo(expected, 10);
  });

  it.each([
    ['process.exit()', /method or property is not allowed/],
    ['import({}, {})', /"import" is not allowed/],
    ['evaluate("1+1")', /"evaluate" is not allowed/],
    ['constructor', /Unknown name "constructor"/],
    ['toString(1)', /"toString" is not allowed/],
    ['a = 1', /Assignments and function definitions are not allowed/],
    ['f(x) = x^2', /Assignments and function definitions are not allowed/],
    ['x + 1', /Unknown name "x"/],
    ['5 cm', /Unknown name "cm"/],
    ['[1, 2]', /Arrays and matrices are not allowed/],
    ['"text"', /Only numbers/],
    ['1 == 1', /operator "==" is not allowed/],
    ['3!', /operator "!" is not allowed/],
    ['1/0', /^Division by zero\.$/],
    ['5 % 0', /Modulo by zero/],
    ['10^400', /not a finite number/],
    ['log(0)', /not a finite number/],
    ['2,669.16 - 1', /thousands separators/],
    ['(1 + 2', /Cannot read the expression/],
  ])('rejects %s', (expression, message) => {
    expect(() => evaluateExpression(expression)).toThrow(message);
  });

  it('rejects very long chains of operations', () => {
    expect(() => evaluateExpression(Array(120).fill('1').join('+'))).toThrow(/more than 200 parts/);
  });
});
