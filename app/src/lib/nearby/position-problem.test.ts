import { describe, expect, it } from 'vitest';
import { positionProblem } from './position-problem.ts';

describe('why "near me" has no position', () => {
  it('tells a refusal (allow location for the site) from a position not found (try later)', () => {
    expect(positionProblem(1)).toBe('denied');
    expect(positionProblem(2)).toBe('unavailable');
    expect(positionProblem(3)).toBe('unavailable');
  });
});
