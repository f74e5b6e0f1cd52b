// The roadmap as a backlog: one CSV row per step, in RFC 4180 form (comma-separated, CRLF line ends, fields with a
// comma, quote or line break quoted, quotes doubled) that the CSV importers of GitLab and Jira read. `title` and
// `description` come first and under those names, as GitLab requires. Pure.

import { withoutControls } from '../escape.js';
import type { ReportModel, RoadmapStep } from './types.js';

const COLUMNS = [
  'title',
  'description',
  'id',
  'aspect',
  'phase',
  'level',
  'impact',
  'effort',
  'status',
  'owner',
  'due date',
  'status note',
  'requires',
  'why',
  'links',
] as const;

/** The header row: what marks a file as a roadmap CSV of cnassess (an empty roadmap has nothing else). */
export const CSV_HEADER = COLUMNS.join(',');

/** The roadmap's steps as CSV, in roadmap order, with a header row. */
export function renderRoadmapCsv(given: ReportModel): string {
  // As every page: no control or bidi character from a rubric or a person reaches the file (a spreadsheet shows them).
  const model = withoutControls(given);
  const rows = model.roadmap.phases.flatMap((phase) => phase.steps.map((step) => rowOf(model, step, phase.name)));
  return [COLUMNS, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function rowOf(model: ReportModel, s: RoadmapStep, phase: string): string[] {
  const links = s.links.map((l) => `${l.title}: ${l.href}`);
  const description = [
    s.why,
    s.addressesText,
    s.reason,
    ...(s.tracking.disagreementText !== null ? [s.tracking.disagreementText] : []),
    ...(links.length > 0 ? [`Read more:\n${links.map((l) => `- ${l}`).join('\n')}`] : []),
    `From the cnassess roadmap of ${model.assessment.id}, step ${s.number} (${s.id}).`,
  ].join('\n\n');
  return [
    s.title,
    description,
    s.id,
    s.aspectTitle,
    phase,
    s.levelText,
    s.impact,
    s.effort,
    s.status ?? '',
    s.tracking.owner ?? '',
    s.tracking.due ?? '',
    s.tracking.note ?? '',
    s.requires.map((r) => model.roadmap.phases.flatMap((p) => p.steps).find((x) => x.number === r.number)?.id ?? '').join(' '),
    s.why,
    links.join('\n'),
  ];
}

/**
 * One field. A cell that a spreadsheet would read as a formula (starting with =, +, -, @, a tab or a carriage return)
 * gets a leading apostrophe, as OWASP advises against CSV injection: the text stays readable and never runs.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
