import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { renderMarkdown } from '../../../src/views/report/markdown.js';
import { buildReportModel, relatedAssessments } from '../../../src/views/report/model.js';
import { BUILT_IN_TEMPLATES, builtInHtmlPages, loadTemplates } from '../../../src/source/templateFiles.js';
import { compileTemplates } from '../../../src/views/html.js';
import { renderJson } from '../../../src/views/json.js';
import { loadRubric } from '../../../src/source/rubricFile.js';
import { assessment, history, surveyReport } from './fixtures.js';
import { hostileModel } from './hostile.js';

/** What a browser would treat as markup: every tag in the document, with its attributes. */
function tags(html: string): { name: string; attributes: Map<string, string> }[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g)].map(([, name, attrs]) => ({
    name: name!.toLowerCase(),
    attributes: new Map([...attrs!.matchAll(/\s+([^\s=>]+)(?:="([^"]*)")?/g)].map(([, k, v]) => [k!.toLowerCase(), v ?? ''])),
  }));
}

describe('the HTML report', () => {
  it('escapes every hostile string: no script, no event handler, no link but http(s) and in-page anchors', async () => {
    const model = hostileModel();
    // The hostile model tracks steps too, with hostile owners and notes, so their rendering is checked here.
    expect(model.roadmap.trackingText).toMatch(/overdue/);
    expect(
      model.roadmap.trackedElsewhere.length + model.roadmap.phases.flatMap((p) => p.steps).filter((x) => x.status !== null).length,
    ).toBe(3);
    const html = (await builtInHtmlPages()).report(model);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/javascript:alert\(1\)["']/i);
    const found = tags(html);
    for (const tag of found) {
      for (const [name, value] of tag.attributes) {
        expect(name, `attribute on <${tag.name}>`).not.toMatch(/^on/);
        if (name === 'href') expect(value).toMatch(/^(https?:\/\/|#[a-z0-9-]+$)/);
        expect(name).not.toBe('src');
      }
    }
    // Exactly the document's own structure: one style, two charts, one CSP.
    expect(found.filter((t) => t.name === 'style')).toHaveLength(1);
    expect(found.filter((t) => t.name === 'svg')).toHaveLength(2);
    expect(html.match(/<\/svg>/g)).toHaveLength(2);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html.match(/<\/title>/g)).toHaveLength(3);
    // Template syntax in data stays text; handlebars never evaluates it.
    expect(html).toContain('{{constructor}}');
  });

  it('is one self-contained file with a Content-Security-Policy and nothing to fetch', async () => {
    const html = (await builtInHtmlPages()).report(hostileModel());
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    );
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).not.toMatch(/@import|url\(|<link|<iframe|<object|<embed|<base/i);
  });

  it('stays under 500 KB with a year (and more) of history', async () => {
    const { rubric } = await loadRubric();
    const all = history(rubric, 12);
    const current = all.at(-1)!;
    const html = (await builtInHtmlPages()).report(
      buildReportModel({ ...current, ...relatedAssessments(all, current.state), generatedAt: '2026-10-02T08:00:00.000Z' }),
    );
    expect(Buffer.byteLength(html) / 1024).toBeLessThan(500);
    expect(html).toContain('id="trend"');
    expect(html).toContain('The three most valuable next steps:');
  });

  it('shows 100 respondents as distributions under 500 KB, and leaves every answer to the Markdown and JSON', async () => {
    const { rubric, model, html } = await surveyReport(100);
    expect(model.respondents.many).toBe(true);
    expect(Buffer.byteLength(html) / 1024).toBeLessThan(500);
    // Each question's answers as a distribution with its median; no list of a hundred names per question.
    const questions = rubric.aspects.flatMap((a) => a.questions).length;
    expect(model.appendix.byQuestion).toHaveLength(questions);
    expect(model.appendix.byQuestion[0]?.distributionText).toMatch(/^100 respondents: \d+ at .*; median \d · \w+$/);
    expect(html).toContain('Answers by question');
    expect(html).not.toMatch(/Each respondent(&#x27;|')s answer/);
    expect(html.match(/engineer-042/g)?.length ?? 0).toBeLessThanOrEqual(3); // the respondents table, and a note or two
    // The notes shown are capped per question, and the report says how many more there are and where.
    const notes = model.aspects.flatMap((a) => a.evidence);
    const perQuestion = new Map<string, number>();
    for (const e of notes) perQuestion.set(e.questionId, (perQuestion.get(e.questionId) ?? 0) + 1);
    expect(Math.max(...perQuestion.values())).toBe(3);
    expect(model.aspects[0]?.evidenceMoreText).toMatch(/^\d+ more notes .*every note is in the appendix of the Markdown and JSON reports/);
    // The Markdown and JSON keep all 100 × questions answers, with their respondents.
    expect(model.appendix.answerCount).toBe(100 * questions);
    expect(renderMarkdown(model).match(/engineer-042/g)?.length).toBeGreaterThanOrEqual(questions);
    expect(model.aspects.flatMap((a) => a.disagreements).every((d) => d.answers.length === 100)).toBe(true);
  });

  it('lists each answer of a few respondents in the HTML', async () => {
    const { model, html } = await surveyReport(8);
    expect(model.respondents.many).toBe(false);
    expect(model.appendix.byQuestion).toEqual([]);
    expect(html).toContain('Every answer');
    expect(html).toMatch(/Each respondent(&#x27;|')s answer \(8\)/);
    expect(Buffer.byteLength(html) / 1024).toBeLessThan(500);
  });
});

describe('templates', () => {
  it('are compiled in strict mode: a field the view model lacks is an error naming the templates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cnassess-templates-'));
    await writeFile(join(dir, 'report.hbs'), '<p>{{assessment.org}} {{assessment.orgName}}</p>');
    const render = compileTemplates(await loadTemplates(dir)).report;
    expect(() => render(hostileModel())).toThrow(UsageError);
    expect(() => render(hostileModel())).toThrow(/orgName/);
  });

  it('let a company replace one partial and keep the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cnassess-templates-'));
    await mkdir(join(dir, 'partials'));
    await writeFile(join(dir, 'partials', 'cover.hbs'), '<header><h1>Acme Platform Review: {{assessment.org}}</h1></header>');
    const html = compileTemplates(await loadTemplates(dir)).report(hostileModel());
    expect(html).toContain('<h1>Acme Platform Review: &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('id="roadmap"');
  });

  it('refuse helpers of their own and report syntax errors with the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cnassess-templates-'));
    await writeFile(join(dir, 'report.hbs'), '{{#each aspects}}{{title}}');
    expect(() => compileTemplates({ origin: dir, report: '{{#each aspects}}{{title}}', diff: '', portfolio: '', partials: {} })).toThrow(
      /report\.hbs/,
    );
    expect(() => compileTemplates({ origin: dir, report: '', diff: '{{#if title}}', portfolio: '', partials: {} })).toThrow(/diff\.hbs/);
    const render = compileTemplates({
      origin: dir,
      report: '{{lookup assessment "org"}}{{log "x"}}',
      diff: '',
      portfolio: '',
      partials: {},
    }).report;
    expect(() => render(hostileModel())).toThrow();
  });

  it('refuse a folder with neither report.hbs nor partials', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cnassess-templates-'));
    await expect(loadTemplates(dir)).rejects.toThrow(/no report\.hbs, diff\.hbs, portfolio\.hbs or partials/);
  });

  it('ship as report.hbs, diff.hbs, portfolio.hbs and partials in templates/', async () => {
    const set = await loadTemplates();
    expect(set.origin).toBe(BUILT_IN_TEMPLATES);
    expect(Object.keys(set.partials).sort()).toEqual([
      'appendix',
      'aspect',
      'aspects',
      'cover',
      'page-head',
      'radar',
      'roadmap',
      'segments',
      'styles',
      'summary',
      'trend',
    ]);
    // The charts are the only triple-stash: they are built by svg.ts from escaped text.
    const sources = [set.report, set.diff, set.portfolio, ...Object.values(set.partials)].join('\n');
    expect(sources.match(/\{\{\{[^}]*\}\}\}/g)).toEqual(['{{{radar.svg}}}', '{{{trend.svg}}}']);
    expect(await readFile(join(BUILT_IN_TEMPLATES, 'report.hbs'), 'utf8')).toContain('{{> radar}}');
  });
});

describe('the Markdown report', () => {
  it('carries the same content with every hostile string escaped and only http(s) links', () => {
    const text = renderMarkdown(hostileModel());
    expect(text).not.toMatch(/<[a-zA-Z/!]/);
    // Links are an unescaped "](": every one goes to an http(s) URL.
    for (const [, destination] of text.matchAll(/(?<!\\)\]\(([^)]*)\)/g)) expect(destination).toMatch(/^https?:\/\/[^\s()<>]+$/);
    expect(text).not.toMatch(/(?<!\\)\]\(javascript:/i);
    expect(text).not.toMatch(/(?<!\\)\[click(?<!\\)\]/);
    // Headings are ours: hostile text never starts a line of its own.
    expect(text.split('\n').filter((l) => l.startsWith('## '))).toEqual([
      '## Summary',
      '## Where we stand',
      '## Aspect by aspect',
      '## Roadmap',
      '## Trend',
      '## Appendix',
    ]);
    expect(text.split('\n').filter((l) => /^#{1,6}[^ #]|^#{5,}/.test(l))).toEqual([]);
    expect(text).toContain('## Roadmap');
    expect(text).toContain('## Appendix');
  });

  it('keeps table rows on one line, whatever the notes hold', () => {
    const text = renderMarkdown(hostileModel());
    const rows = text.split('\n').filter((l) => l.startsWith('| '));
    for (const row of rows) expect(row.endsWith(' |')).toBe(true);
  });
});

describe('the JSON report', () => {
  it('is the view model', () => {
    const m = hostileModel();
    expect(JSON.parse(renderJson(m))).toEqual(m);
  });
});

describe('the README', () => {
  it('documents every field of the view model', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## The report'), readme.indexOf('\n## ', readme.indexOf('## The report') + 1));
    const keys = new Set<string>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value !== null && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          keys.add(k);
          walk(v);
        }
      }
    };
    walk(hostileModel());
    expect([...keys].filter((k) => !section.includes(`\`${k}\``) && !section.includes(`\`${k}[]\``))).toEqual([]);
  });
});

describe('the shared hostile-strings rubric fixture', () => {
  it('renders as inert text in HTML and Markdown', async () => {
    const { rubric } = await loadRubric(fileURLToPath(new URL('../../fixtures/rubrics/hostile/hostile-strings.yaml', import.meta.url)));
    const answers = [
      { question: 'q-script', answer: ['c'], respondent: '<b>eve</b>', note: '</style><script>alert(1)</script> javascript:alert(1)' },
      { question: 'q-script', answer: ['a'], respondent: '" onmouseover="alert(1)' },
      { question: 'q-yes-no', answer: ['yes'] },
      { question: 'q-multi', answer: ['x', 'y'] },
      { question: 'q-scale', answer: ['s2'] },
    ];
    const state = assessment(rubric, { org: '</svg>{{constructor}}', scope: "' autofocus onfocus='alert(1)", period: '2026-Q4', answers });
    const model = buildReportModel({ state, rubric, history: [{ state, rubric }], generatedAt: '2026-10-02T08:00:00.000Z' });
    const html = (await builtInHtmlPages()).report(model);
    expect(html).not.toMatch(/<script|<img/i);
    for (const tag of tags(html))
      for (const [name, value] of tag.attributes) {
        expect(name).not.toMatch(/^on/);
        if (name === 'href') expect(value).toMatch(/^(https?:\/\/|#[a-z0-9-]+$)/);
      }
    expect(html.match(/<\/svg>/g)).toHaveLength(1);
    expect(renderMarkdown(model)).not.toMatch(/<[a-zA-Z/!]/);
  });
});
