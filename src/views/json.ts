// The JSON of a report or portfolio model: the model itself, as the HTML and Markdown views read it. Apart from
// views/html.ts, so that `--format json` does not load the template engine.
import type { PortfolioModel } from './portfolio/model.js';
import type { ReportModel } from './report/model.js';

export function renderJson(model: ReportModel | PortfolioModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
