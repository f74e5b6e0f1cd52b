// The organisation view: the portfolio of an org's scopes in one period, its model, Markdown and HTML.
import { describe, expect, it } from 'vitest';
import { buildPortfolio } from '../../src/compare/portfolio.js';
import { FIRST_BUILT_IN_RUBRIC_PATH, loadRubric } from '../../src/source/rubricFile.js';
import { builtInHtmlPages } from '../../src/source/templateFiles.js';
import { renderJson } from '../../src/views/json.js';
import { renderPortfolioMarkdown } from '../../src/views/portfolio/markdown.js';
import { buildPortfolioModel } from '../../src/views/portfolio/model.js';
import { LONGEST_WHOLE_WORD, portfolioPage } from '../../src/views/portfolio/page.js';
import { MOST_ASPECT_COLUMNS } from '../../src/views/columns.js';
import { importedRubric } from '../support/models.js';
import { demoRubricRevision } from '../../src/demo/scenario.js';
import { HOSTILE } from './report/hostile.js';
import { assessment, answerAll, organisation } from './report/fixtures.js';

const GENERATED = '2026-12-01T08:00:00.000Z';

describe('the portfolio', () => {
  it('puts every scope of the period side by side, the org at the median of its scopes, steps many scopes need first', async () => {
    const { rubric } = await loadRubric();
    const all = organisation(rubric, 12, 4);
    const p = buildPortfolio(all, 'acme', '2024-Q4');
    expect(p.scopes).toHaveLength(12);
    expect(p.trend.map((t) => t.period)).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
    for (const a of p.aspects) {
      const levels = p.scopes
        .map((s) => s.card.aspects.find((x) => x.aspect === a.aspect)?.level)
        .filter((l): l is number => l !== undefined);
      const sorted = [...levels].sort((x, y) => x - y);
      expect(a.level).toBe(sorted[Math.floor((sorted.length - 1) / 2)]);
      expect([a.lowest, a.highest]).toEqual([sorted[0], sorted.at(-1)]);
      expect([...a.distribution.values()].reduce((n, x) => n + x, 0)).toBe(levels.length);
    }
    // Steps: ranked by how many scopes' own roadmaps hold them.
    const counts = p.commonSteps.map((s) => s.scopes.length);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    for (const s of p.commonSteps) for (const scope of s.scopes) expect(p.scopes.find((x) => x.scope === scope)?.steps).toContain(s.step);

    const m = buildPortfolioModel(p, GENERATED);
    const overall = m.heatmap.rows.map((r) => r.overallText);
    expect(overall).toEqual([...overall].sort((x, y) => y.localeCompare(x))); // highest level first
    expect(m.heatmap.rows.filter((r) => r.unfinished).map((r) => r.scope)).toEqual(['team-12']);
    expect(m.summary.paragraphs[0]).toMatch(
      /^12 scopes of Acme were assessed in 2024-Q4: 11 completed, 1 unfinished \(answered so far: team-12 \d+%\)\.$/,
    );
    expect(m.summary.paragraphs.join(' ')).toMatch(/Since 2024-Q3, over the scopes assessed in both periods: /);
    expect(m.appendix.map((a) => a.command)).toContain('cnassess report acme/team-01/2024-q4');
    expect(m.trend.scopes).toHaveLength(12);
    expect(m.commonSteps[0]?.count).toBeGreaterThan(1);
  });

  it('re-scores a scope answered with another rubric version with the newest, over the questions both share, and says so', async () => {
    const { rubric: older } = await loadRubric(FIRST_BUILT_IN_RUBRIC_PATH);
    const newer = demoRubricRevision(older); // one question renamed, one dropped, one added
    const a = assessment(older, { org: 'Acme', scope: 'old', period: '2026-Q4', answers: answerAll(older, () => 3) });
    const b = assessment(newer, { org: 'Acme', scope: 'new', period: '2026-Q4', answers: answerAll(newer, () => 3) });
    const p = buildPortfolio(
      [
        { state: a, rubric: older },
        { state: b, rubric: newer },
      ],
      'Acme',
      '2026-Q4',
    );
    expect(p.rubric.version).toBe(newer.version);
    expect(p.scopes.map((s) => [s.scope, s.rescoredFrom])).toEqual([
      ['new', null],
      ['old', `${older.id} ${older.version}`],
    ]);
    expect(buildPortfolioModel(p, GENERATED).rubricText).toMatch(
      /old \(answered with .*\) is re-scored with it over the questions both versions share/,
    );
  });

  it('compares with the previous period over the scopes assessed in both, and says who joined or left', async () => {
    const { rubric } = await loadRubric();
    const at = (scope: string, period: string, level: number) =>
      assessment(rubric, { org: 'Acme', scope, period, answers: answerAll(rubric, () => level), completed: true });
    // Q1: a (3) and b (1); Q2: a (3) and c (5). The median moves from 1 to 3 only because b left and c came.
    const all = [at('a', '2026-Q1', 3), at('b', '2026-Q1', 1), at('a', '2026-Q2', 3), at('c', '2026-Q2', 5)].map((state) => ({
      state,
      rubric,
    }));
    const m = buildPortfolioModel(buildPortfolio(all, 'Acme', '2026-Q2'), GENERATED);
    const since = m.summary.paragraphs.find((x) => x.startsWith('Since 2026-Q1'));
    expect(since).toMatch(
      /^Since 2026-Q1, over the scopes assessed in both periods: no aspect of the organisation changed level\. C is new; b was not assessed again\.$/,
    );
  });

  it('takes an organisation as ids do: case, accents and punctuation folded', async () => {
    const { rubric } = await loadRubric();
    const all = ['Évil Co', 'Evil Co.', 'EVIL CO'].map((org, i) => ({
      state: assessment(rubric, { org, scope: `s${i}`, period: '2026-Q4', answers: answerAll(rubric, () => 2) }),
      rubric,
    }));
    expect(buildPortfolio(all, 'evil co', '2026-Q4').scopes).toHaveLength(3);
  });

  it('renders Markdown with every untrusted name escaped, and JSON that is the model', async () => {
    const { rubric } = await loadRubric();
    const all = organisation(rubric, 3, 2, HOSTILE.script).map((q, i) => ({
      ...q,
      state: { ...q.state, scope: Object.values(HOSTILE)[i % 5]! },
    }));
    const m = buildPortfolioModel(buildPortfolio(all, HOSTILE.script, '2024-Q2'), GENERATED);
    const md = renderPortfolioMarkdown(m);
    expect(md).not.toMatch(/<[a-zA-Z/!]/);
    expect(JSON.parse(renderJson(m))).toEqual(JSON.parse(JSON.stringify(m)));
    const html = (await builtInHtmlPages()).portfolio(m);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;');
  });
});

describe('the heatmap on the HTML page', () => {
  const tablesOf = (rubric: Parameters<typeof organisation>[0]) =>
    portfolioPage(buildPortfolioModel(buildPortfolio(organisation(rubric, 5, 1), 'Acme', '2024-Q1'), GENERATED));

  it('is one table for the built-in rubric’s six aspects, captioned for screen readers, with the overall level', async () => {
    const { rubric } = await loadRubric();
    const page = tablesOf(rubric);
    expect(page.heatmapTables).toHaveLength(1);
    const [table] = page.heatmapTables;
    expect(table).toMatchObject({
      caption: 'Level of each scope in each aspect',
      captionClass: 'visually-hidden',
      last: true,
      wholeWords: true,
    });
    expect(table?.columns).toEqual(page.heatmap.columns.map((c) => ({ ...c, longWord: false })));
    expect(table?.rows).toEqual(page.heatmap.rows);
    expect(table?.org).toEqual(page.heatmap.org);
  });

  it(`is cut into tables of at most ${MOST_ASPECT_COLUMNS} about equal ones for more, each with every scope, in order`, () => {
    const page = tablesOf(importedRubric('dsomm'));
    const { columns, rows, org } = page.heatmap;
    expect(columns).toHaveLength(19);
    expect(page.heatmapTables.map((t) => t.columns.length)).toEqual([5, 5, 5, 4]);
    expect(page.heatmapTables.map((t) => t.caption)).toEqual([
      'Level of each scope in sub-dimensions 1–5 of 19',
      'Level of each scope in sub-dimensions 6–10 of 19',
      'Level of each scope in sub-dimensions 11–15 of 19',
      'Level of each scope in sub-dimensions 16–19 of 19',
    ]);
    expect(page.heatmapTables.map((t) => [t.captionClass, t.last])).toEqual([
      ['part-caption', false],
      ['part-caption', false],
      ['part-caption', false],
      ['part-caption', true],
    ]);
    // Put back together, the tables are the model's heatmap: no column, scope or cell lost, moved or repeated.
    expect(page.heatmapTables.flatMap((t) => t.columns.map(({ longWord: _, ...c }) => c))).toEqual(columns);
    for (const [i, row] of [...rows, org].entries()) {
      const parts = page.heatmapTables.map((t) => (i < rows.length ? t.rows[i] : t.org));
      expect(parts.map((p) => p?.scope)).toEqual(parts.map(() => row.scope));
      expect(parts.flatMap((p) => p?.cells ?? [])).toEqual(row.cells);
    }
  });

  it(`lets a heading break inside a word only when the title has a word longer than ${LONGEST_WHOLE_WORD} characters`, async () => {
    const { rubric } = await loadRubric();
    const titles = ['Orchestration & management', 'Infrastructure-as-code', 'Bereitstellungsautomatisierung', HOSTILE.closeSvg];
    const page = tablesOf({ ...rubric, aspects: rubric.aspects.slice(0, titles.length).map((a, i) => ({ ...a, title: titles[i] ?? '' })) });
    expect(page.heatmapTables[0]?.columns.map((c) => [c.title, c.longWord])).toEqual([
      ['Orchestration & management', false],
      ['Infrastructure-as-code', true],
      ['Bereitstellungsautomatisierung', true],
      [HOSTILE.closeSvg, true],
    ]);
  });

  it(`lets its cells break inside a word only when a level or coverage text has a word longer than ${LONGEST_WHOLE_WORD} characters`, async () => {
    const { rubric } = await loadRubric();
    const named = (name: string) => tablesOf({ ...rubric, levels: rubric.levels.map((l) => ({ ...l, name })) });
    expect(named('Standardised platform').heatmapTables.map((t) => t.wholeWords)).toEqual([true]);
    expect(named('Plattformstandardisierung').heatmapTables.map((t) => t.wholeWords)).toEqual([false]);
    // On the page: cells that keep their words whole say so to the style sheet.
    const html = async (name: string) => (await builtInHtmlPages()).portfolio(named(name));
    expect(await html('Scale')).toContain('<table class="heatmap whole-words">');
    expect(await html('Plattformstandardisierung')).toContain('<table class="heatmap">');
  });
});
