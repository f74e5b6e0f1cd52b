// Matching questions across rubric versions, and listing what changed between two versions.
import { describe, expect, it } from 'vitest';
import { matchQuestions } from '../../src/compare/questionMatch.js';
import { describeChange, diffRubrics } from '../../src/compare/rubricDiff.js';
import type { Rubric } from '../../src/rubric/types.js';
import { aspect, question, rubric } from '../support/rubrics.js';
import { v1, v2, withQuestion } from './quarters.js';

describe('matching questions across versions', () => {
  it('pairs questions by id, and a question that declares `replaces` with the id it replaced', () => {
    const m = matchQuestions(v1, v2);
    expect(m.pairs.map((p) => [p.from, p.to, p.renamed])).toEqual([
      ['build', 'build', false],
      ['deploy', 'deploy', false],
      ['freq', 'freq', false],
      ['metrics', 'metrics', false],
      ['alerts', 'paging', true],
    ]);
    expect(m.added).toEqual([{ id: 'tracing', aspect: 'ops' }]);
    expect(m.removed).toEqual([{ id: 'legacy', aspect: 'ops' }]);
    expect(m.fromOf.get('paging')).toBe('alerts');
  });

  it('follows a rename through an intermediate version it is given', () => {
    const v3: Rubric = {
      ...v2,
      version: '1.2.0',
      aspects: [v2.aspects[0]!, { ...v2.aspects[1]!, questions: [question('metrics'), question('on-call', { replaces: 'paging' })] }],
    };
    expect(matchQuestions(v1, v3).pairs.find((p) => p.to === 'on-call')).toBeUndefined();
    expect(matchQuestions(v1, v3, [v2]).pairs.find((p) => p.to === 'on-call')).toMatchObject({ from: 'alerts', renamed: true });
  });

  it('never lets a `replaces` take a question that is still there under its own id', () => {
    const odd = rubric([aspect('ops', [question('alerts'), question('paging', { replaces: 'alerts' })])]);
    const m = matchQuestions(rubric([aspect('ops', [question('alerts')])]), odd);
    expect(m.pairs.map((p) => [p.from, p.to])).toEqual([['alerts', 'alerts']]);
    expect(m.added.map((q) => q.id)).toEqual(['paging']);
  });
});

describe('rubric diff', () => {
  it('lists added, removed and renamed questions', () => {
    const d = diffRubrics(v1, v2);
    expect(d.changes.map((c) => [c.kind, c.subject, c.affectsScoring])).toEqual([
      ['question-added', 'tracing', true],
      ['question-removed', 'legacy', true],
      ['question-renamed', 'paging', false],
      ['question-text', 'paging', false],
    ]);
    expect(d.counts).toMatchObject({ renamed: 1, added: 1, removed: 1 });
  });

  it('lists re-weighted questions, changed choices, gates and conditions, and tells wording from scoring', () => {
    let edited = withQuestion(v1, 'metrics', (q) => ({ ...q, weight: 3, gate: true }));
    edited = withQuestion(edited, 'build', (q) => ({
      ...q,
      text: 'Reworded?',
      choices: [
        ...q.choices
          .filter((c) => c.id !== 'l5')
          .map((c) => (c.id === 'l2' ? { ...c, level: 3 } : c.id === 'l1' ? { ...c, label: 'nothing' } : c)),
        { id: 'l5b', label: 'x', level: 5 },
      ],
    }));
    edited = withQuestion(edited, 'freq', (q) => ({ ...q, when: { question: 'build', atLeast: 2 } }));
    const d = diffRubrics(v1, edited);
    expect(d.changes.map((c) => [c.kind, c.subject, c.before, c.after, c.affectsScoring])).toEqual([
      ['question-text', 'build', undefined, undefined, false],
      ['choice-relabelled', 'build/l1', undefined, undefined, false],
      ['choice-relevelled', 'build/l2', 2, 3, true],
      ['choice-added', 'build/l5b', undefined, 5, true],
      ['choice-removed', 'build/l5', 5, undefined, true],
      ['question-condition', 'freq', null, 'build at least 2', true],
      ['question-reweighted', 'metrics', 2, 3, true],
      ['question-gate', 'metrics', false, true, true],
    ]);
    expect(d.changes.map(describeChange)).toContain('metrics weight 2 → 3');
  });

  it('does not report a condition as changed when only the question it names was renamed', () => {
    const before = rubric([aspect('ops', [question('alerts'), question('runbooks', { when: { question: 'alerts', atLeast: 3 } })])]);
    const after = {
      ...before,
      version: '1.1.0',
      aspects: [
        aspect('ops', [question('paging', { replaces: 'alerts' }), question('runbooks', { when: { question: 'paging', atLeast: 3 } })]),
      ],
    };
    expect(diffRubrics(before, after).changes.map((c) => c.kind)).not.toContain('question-condition');
  });

  it('sees every field a rubric imported from another model carries: rules, aspect rules, nouns, groups, source ids, choice help', () => {
    const multi = {
      ...question('q1'),
      type: 'multi' as const,
      multiChoice: 'rules' as const,
      rules: [{ default: true as const, level: 1 }],
    };
    const before = rubric([aspect('a', [multi, question('q2')]), aspect('b', [question('q3')])]);
    const after: Rubric = {
      ...before,
      aspectRule: 'mean',
      nouns: { aspect: 'pillar', aspects: 'pillars' },
      aspects: [
        {
          ...before.aspects[0]!,
          group: 'Build',
          sourceId: 'ops',
          questions: [
            {
              ...multi,
              sourceId: 'OPS1',
              rules: [
                { when: { all: ['l2'] }, level: 3 },
                { default: true, level: 1 },
              ],
              choices: multi.choices.map((c, i) => (i === 0 ? { ...c, help: 'What this means', sourceId: 'OPS1_1' } : c)),
            },
            question('q2'),
          ],
        },
        before.aspects[1]!,
      ],
    };
    const changes = diffRubrics(before, after).changes.map((c) => [c.kind, c.subject, c.affectsScoring]);
    expect(changes).toEqual(
      expect.arrayContaining([
        ['rubric-aspect-rule', 'aspectRule', true],
        ['rubric-nouns', 'nouns', false],
        ['aspect-group', 'a', false],
        ['source-id', 'a', false],
        ['question-rules', 'q1', true],
        ['source-id', 'q1', false],
        ['choice-help', 'q1/l1', false],
        ['source-id', 'q1/l1', false],
      ]),
    );
    const ownRule = diffRubrics(before, { ...before, aspects: [{ ...before.aspects[0]!, rule: 'worst' }, before.aspects[1]!] }).changes;
    expect(ownRule.map((c) => [c.kind, c.subject, c.before, c.after])).toEqual([['aspect-rule', 'a', 'majority', 'worst']]);
    expect(describeChange(ownRule[0]!)).toBe('aspect a levelled by the worst rule (before: majority)');
  });

  it('finds nothing between a rubric and itself', () => {
    expect(diffRubrics(v1, v1).changes).toEqual([]);
  });
});

describe('matching questions when the newer rubric is the FROM one', () => {
  it('pairs a question with the one it replaced in either direction', () => {
    const m = matchQuestions(v2, v1);
    expect(m.pairs.find((p) => p.to === 'alerts')).toMatchObject({ from: 'paging', renamed: true });
    expect(m.added.map((q) => q.id)).toEqual(['legacy']);
    expect(m.removed.map((q) => q.id)).toEqual(['tracing']);
  });
});

describe('the changes as a reviewer reads them', () => {
  it('names a change of the multi-choice rule, and puts all changes of one question on one line', async () => {
    const { changeLines } = await import('../../src/compare/rubricDiff.js');
    const multi = (extra: Partial<Parameters<typeof question>[1]> = {}) =>
      question('checks', {
        type: 'multi',
        choices: [
          { id: 'none', label: 'None', level: 1 },
          { id: 'tests', label: 'Tests', level: 2 },
          { id: 'scan', label: 'Scan', level: 3 },
        ],
        ...extra,
      });
    const before = rubric([aspect('a', [multi()])]);
    const after: Rubric = {
      ...rubric([
        aspect('a', [
          multi({
            text: 'Which checks run?',
            choices: [
              { id: 'none', label: 'None of these', level: 1, exclusive: true },
              { id: 'tests', label: 'Tests', level: 2 },
              { id: 'sign', label: 'Signing', level: 3 },
            ],
          }),
        ]),
      ]),
      version: '2.0.0',
      multiChoice: 'ladder',
    };
    const lines = changeLines(diffRubrics(before, after).changes);
    expect(lines).toEqual([
      { text: 'multi-choice answers scored as ladder (before: highest)', scoring: true },
      {
        text: 'checks: choices added: sign (3); removed: scan (was 3); now "none of these" (exclusive): none; 1 relabelled; text or help reworded',
        scoring: true,
      },
    ]);
  });
});
