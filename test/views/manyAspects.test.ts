// Views for models of any size: level bars instead of a radar past RADAR_MAX_AXES, trend lines that never repeat a
// style, whole-number score gridlines, and the rubric's own nouns in the report.
import { describe, expect, it } from 'vitest';
import { levelBarsSvg, RADAR_MAX_AXES, trendStyle, trendSvg } from '../../src/views/svg.js';
import { buildReportModel, relatedAssessments } from '../../src/views/report/model.js';
import { renderMarkdown as renderMarkdownReport } from '../../src/views/report/markdown.js';
import { history } from './report/fixtures.js';
import { importedRubric } from '../support/models.js';

const reportOf = (from: 'dsomm' | 'aws-lens' | 'pemm') => {
  const rubric = importedRubric(from);
  const all = history(rubric, 2);
  const current = all.at(-1)!;
  return buildReportModel({ ...current, ...relatedAssessments(all, current.state), generatedAt: '2026-10-02T08:00:00.000Z' });
};

describe('a model of many aspects', () => {
  it('draws level bars, not a radar, past the radar’s limit, with every sub-dimension named and described', () => {
    const model = reportOf('dsomm');
    expect(model.radar.rows.length).toBeGreaterThan(RADAR_MAX_AXES);
    expect(model.radar.svg).toMatch(/class="chart level-bars"/);
    for (const row of model.radar.rows) expect(model.radar.svg).toContain(`>${row.title}</text>`);
    expect(model.radar.caption).toMatch(/^Level by sub-dimension: each bar reaches the level/);
    expect(model.radar.description).toMatch(/^Bar chart of each sub-dimension’s level, from 0 · Not started to 5 · Leading: /);
    expect(reportOf('aws-lens').radar.svg).toMatch(/class="chart radar"/);
  });

  it('draws each bar to its level on the scale', () => {
    const levels = [0, 1, 2, 3, 4].map((level) => ({ level, name: `L${level}` }));
    const svg = levelBarsSvg({
      title: 't',
      description: 'd',
      idPrefix: 'b',
      levels,
      axes: [
        { label: 'a', note: '' },
        { label: 'b', note: '' },
        { label: 'c', note: '' },
      ],
      series: [{ key: 'current', name: 'Now', values: [4, 2, null] }],
    });
    const widths = [...svg.matchAll(/<rect x="(\d+(?:\.\d+)?)" y="[\d.]+" width="([\d.]+)" height="14"/g)].map((m) => Number(m[2]));
    expect(widths).toHaveLength(2 + 1); // two bars and the legend's swatch
    expect(widths[0]! / widths[1]!).toBeCloseTo(2, 5); // level 4 is twice as far from 0 as level 2
  });

  it('gives every trend line a style of its own, for up to 36 aspects', () => {
    const styles = Array.from({ length: 37 }, (_, i) => trendStyle(i)).map((s) => `${s.color} ${s.dash} ${s.marker}`);
    expect(new Set(styles).size).toBe(37);
  });

  it('labels score gridlines in whole numbers, whatever the number of levels', () => {
    const svg = trendSvg({
      title: 't',
      description: 'd',
      idPrefix: 'x',
      periods: ['2026-Q1', '2026-Q2'],
      levelLines: [0, 33.333333, 66.666667, 100].map((score, i) => ({ name: `L${i}`, score })),
      series: [{ name: 'Overall', values: [10, 20] }],
    });
    expect(svg).toContain('>33</text>');
    expect(svg).not.toMatch(/>33\.3/);
  });

  it('says the rubric’s own nouns in the report: pillars, categories, sub-dimensions', () => {
    const lens = renderMarkdownReport(reportOf('aws-lens'));
    expect(lens).toContain('## Pillar by pillar');
    expect(lens).toMatch(/\| Pillar \| Now \| Target \|/);
    expect(lens).not.toMatch(/Aspect by aspect|\| Aspect \|/);
    expect(renderMarkdownReport(reportOf('pemm'))).toContain('## Category by category');
    const dsomm = renderMarkdownReport(reportOf('dsomm'));
    expect(dsomm).toMatch(/The strongest sub-dimension is/);
    // Each DSOMM dimension is named once, above its first sub-dimension.
    expect([...dsomm.matchAll(/^\*\*(.+)\*\*\n\n### \d+\. /gm)].map((m) => m[1])).toEqual([
      'Build and Deployment',
      'Culture and Organization',
      'Implementation',
      'Information Gathering',
      'Test and Verification',
    ]);
  });
});

describe('sentences true for a rubric without recommendations', () => {
  it('a PEMM report says the rubric has no step for the answers below target, never that targets are reached', () => {
    const model = reportOf('pemm');
    const text = renderMarkdownReport(model);
    expect(text).toMatch(/No steps: the rubric has no recommendation for the answers that hold the categories below their targets/);
    expect(text).not.toMatch(/has reached its target|Every assessed/);
    expect(model.roadmap.rule[0]).toMatch(/^Each category aims at its target level/);
    expect(model.appendix.method.join(' ')).toMatch(/A category has the weighted mean of its answers’ levels/);
  });
});

describe('the organisation view of an imported model', () => {
  it('says pillars in its headings and sentences', async () => {
    const { organisation } = await import('./report/fixtures.js');
    const { buildPortfolio } = await import('../../src/compare/portfolio.js');
    const { buildPortfolioModel } = await import('../../src/views/portfolio/model.js');
    const { renderPortfolioMarkdown } = await import('../../src/views/portfolio/markdown.js');
    const rubric = importedRubric('aws-lens');
    const model = buildPortfolioModel(buildPortfolio(organisation(rubric, 3, 2), 'Acme', '2024-Q2'), '2026-10-02T08:00:00.000Z');
    const text = renderPortfolioMarkdown(model);
    expect(text).toContain('## Scopes and pillars');
    expect(text).toMatch(/Per pillar, the organisation’s level is the median/);
    expect(text).not.toMatch(/\baspects?\b/);
  });
});
