// The leadership report of an org with 12 quarters of history, of one quarter answered by 100 respondents, and the
// portfolio of 30 scopes over 8 quarters. Rendering HTML is compared with
// producing the JSON view model alone (build the model, JSON.stringify it) in the same run, so the
// ratio holds on any machine. Each is repeated and the median kept, to leave JIT warm-up out.

import { buildReportModel, relatedAssessments } from '../../src/views/report/model.js';
import { renderMarkdown } from '../../src/views/report/markdown.js';
import { builtInHtmlPages } from '../../src/source/templateFiles.js';
import { renderJson } from '../../src/views/json.js';
import { loadRubric } from '../../src/source/rubricFile.js';
import { department, history, organisation } from '../views/report/fixtures.js';
import { buildPortfolio } from '../../src/compare/portfolio.js';
import { buildPortfolioModel } from '../../src/views/portfolio/model.js';
import type { Bench, Row } from './run.js';

const PERIODS = 12;
const RUNS = 30;
const RESPONDENTS = 100;
const SCOPES = 30;

export const benches: readonly Bench[] = [{ name: 'report', run: runReportBench }];

async function runReportBench(): Promise<Row[]> {
  const { rubric } = await loadRubric();
  const all = history(rubric, PERIODS);
  const current = all.at(-1)!;
  const input = { ...current, ...relatedAssessments(all, current.state), generatedAt: new Date().toISOString() };
  const pages = await builtInHtmlPages();
  const renderHtml = pages.report;
  const renderPortfolio = pages.portfolio;

  const json = median(() => renderJson(buildReportModel(input)));
  const html = median(() => renderHtml(buildReportModel(input)));
  const md = median(() => renderMarkdown(buildReportModel(input)));
  const kb = Buffer.byteLength(html.output) / 1024;
  const ratio = html.ms / json.ms;
  const row = (metric: string, value: number, unit: string, target?: string, met?: boolean): Row => ({
    bench: 'report',
    metric,
    value,
    unit,
    ...(target === undefined ? {} : { target, met }),
  });
  // A department-wide survey: 100 respondents answering every question, a note on every fourth answer.
  const survey = department(rubric, RESPONDENTS);
  const surveyInput = { ...survey, history: [survey], generatedAt: new Date().toISOString() };
  const surveyJson = median(() => renderJson(buildReportModel(surveyInput)));
  const surveyHtml = median(() => renderHtml(buildReportModel(surveyInput)));
  const surveyKb = Buffer.byteLength(surveyHtml.output) / 1024;
  return [
    row(`JSON view model, ${PERIODS} periods (median of ${RUNS})`, json.ms, 'ms'),
    row('HTML report (model + templates + SVG)', html.ms, 'ms'),
    row('HTML / JSON', ratio, '×'),
    row('Markdown report', md.ms, 'ms'),
    row('HTML size', kb, 'KB', '< 500', kb < 500),
    row(`JSON view model, ${RESPONDENTS} respondents`, surveyJson.ms, 'ms'),
    row(`HTML report, ${RESPONDENTS} respondents`, surveyHtml.ms, 'ms'),
    row(`HTML / JSON, ${RESPONDENTS} respondents`, surveyHtml.ms / surveyJson.ms, '×'),
    row(`HTML size, ${RESPONDENTS} respondents`, surveyKb, 'KB', '< 500', surveyKb < 500),
    ...portfolioRows(rubric, renderPortfolio, row),
  ];
}

function median(work: () => string): { ms: number; output: string } {
  let output = work();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    output = work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)]!, output };
}

/** The organisation view of 30 scopes over 8 quarters: the HTML against building its JSON model alone. */
function portfolioRows(
  rubric: Parameters<typeof organisation>[0],
  render: (m: ReturnType<typeof buildPortfolioModel>) => string,
  row: (metric: string, value: number, unit: string, target?: string, met?: boolean) => Row,
): Row[] {
  const all = organisation(rubric, SCOPES, 8);
  const period = '2025-Q4';
  const model = () => buildPortfolioModel(buildPortfolio(all, 'Acme', period), new Date().toISOString());
  const json = median(() => renderJson(model()));
  const html = median(() => render(model()));
  const ratio = html.ms / json.ms;
  const kb = Buffer.byteLength(html.output) / 1024;
  return [
    row(`portfolio JSON model, ${SCOPES} scopes × 8 periods`, json.ms, 'ms'),
    row('portfolio HTML', html.ms, 'ms'),
    row('portfolio HTML / JSON', ratio, '×', '≤ 3', ratio <= 3),
    row('portfolio HTML size', kb, 'KB', '< 500', kb < 500),
  ];
}
