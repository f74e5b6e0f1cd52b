// The report's method appendix says how this rubric scores, from the rules it uses: never a rule it does not use.
import { describe, expect, it } from 'vitest';
import { methodOf } from '../../../src/views/report/appendix.js';
import { aspect, question, rubric as makeRubric } from '../../support/rubrics.js';

const base = makeRubric([aspect('delivery', [question('q1')]), aspect('platform', [question('q2')])]);

describe('the method appendix', () => {
  it('describes the majority rule for a rubric that uses it, and no other', () => {
    const text = methodOf(base).join(' ');
    expect(text).toMatch(/more than half of the weight/);
    expect(text).not.toMatch(/weighted mean of its answers’ levels|lowest answer|top level/);
    expect(text).toMatch(/Overall: the same majority rule over the aspects’ levels/);
  });

  it('describes the mean rule, in the rubric’s own nouns, and no majority', () => {
    const text = methodOf({ ...base, aspectRule: 'mean', nouns: { aspect: 'category', aspects: 'categories' } }).join(' ');
    expect(text).toMatch(/A category has the weighted mean of its answers’ levels/);
    expect(text).toMatch(/Overall: the weighted mean of the categories’ means/);
    expect(text).not.toMatch(/more than half of the weight|aspect/);
  });

  it('names which aspects follow which rule when they differ, and says what answer rules do', () => {
    const mixed = {
      ...base,
      aspectRule: 'cumulative' as const,
      aspects: [{ ...base.aspects[0]!, rule: 'worst' as const }, base.aspects[1]!],
      multiChoice: 'rules' as const,
    };
    const withMulti = {
      ...mixed,
      aspects: [mixed.aspects[0]!, { ...mixed.aspects[1]!, questions: [{ ...question('q2'), type: 'multi' as const }] }],
    };
    const text = methodOf(withMulti).join(' ');
    expect(text).toMatch(/An aspect \(delivery\) is at the level of its lowest answer/);
    expect(text).toMatch(/\(platform\) is at the highest level L, up to the highest any of its questions reaches/);
    expect(text).toMatch(/the first of its rules that the ticked practices meet/);
    expect(text).toMatch(/Overall: the lowest of the aspects’ levels/);
  });
});
