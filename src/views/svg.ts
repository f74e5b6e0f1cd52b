// The report's charts as inline SVG strings: a radar of the aspects' levels and a trend of scores.
// Pure. Every string embedded here passes through escapeXml, because render.ts inserts these strings
// unescaped (triple-stash); the geometry is exported so tests can check vertices against levels.
//
// Colour is never the only carrier: each series also has its own dash pattern and marker shape,
// a legend in words, and the same numbers in a table next to the chart. The palette is Okabe–Ito
// (safe for the common colour-vision deficiencies).

import { truncate, wrap } from '../text.js';
import { escapeXml } from './escape.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down' | 'cross';

export interface SeriesStyle {
  readonly color: string;
  /** SVG stroke-dasharray; empty for a solid line. */
  readonly dash: string;
  readonly marker: MarkerShape;
  readonly width: number;
}

/** Okabe–Ito, without yellow (too faint on white paper). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'] as const;
const MARKERS: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'cross'];
const DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 4', '12 4'];

export const RADAR_STYLES = {
  current: { color: '#0072B2', dash: '', marker: 'circle', width: 2.5 },
  target: { color: '#D55E00', dash: '8 5', marker: 'square', width: 2 },
  previous: { color: '#555555', dash: '2 4', marker: 'triangle', width: 2 },
} as const satisfies Record<string, SeriesStyle>;

const FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif\"";

// ---------------------------------------------------------------------------------------------
// Radar

export interface RadarInput {
  readonly title: string;
  /** The text alternative: the chart's content in words. */
  readonly description: string;
  /** The rubric's levels, lowest first. */
  readonly levels: readonly { readonly level: number; readonly name: string }[];
  /** One axis per aspect, clockwise from the top. `note` is a second label line (e.g. "2 Operate"). */
  readonly axes: readonly { readonly label: string; readonly note: string }[];
  /** One value per axis; null draws the vertex at the centre (nothing answered). */
  readonly series: readonly {
    readonly key: keyof typeof RADAR_STYLES;
    readonly name: string;
    readonly values: readonly (number | null)[];
  }[];
  /** Prefix for element ids, unique within the document. */
  readonly idPrefix: string;
}

export const RADAR_BOX = { width: 680, height: 520, cx: 340, cy: 250, radius: 165 } as const;

export interface RadarGeometry {
  readonly axes: readonly {
    readonly angle: number;
    readonly end: Point;
    readonly labelAt: Point;
    readonly anchor: 'start' | 'middle' | 'end';
  }[];
  readonly rings: readonly { readonly level: number; readonly name: string; readonly radius: number; readonly points: readonly Point[] }[];
  readonly series: readonly {
    readonly key: keyof typeof RADAR_STYLES;
    readonly name: string;
    readonly points: readonly (Point & { readonly value: number | null })[];
  }[];
}

/**
 * Axis i points at angle −90° + 360°·i/n (the first straight up, then clockwise). A value v sits at
 * radius R·(v − lowest + 1)/(highest − lowest + 1): the lowest level on the innermost ring, the
 * highest on the rim; null sits at the centre.
 */
export function radarGeometry(input: Pick<RadarInput, 'levels' | 'axes' | 'series'>): RadarGeometry {
  const { cx, cy, radius } = RADAR_BOX;
  const levelNumbers = input.levels.map((l) => l.level);
  const lowest = Math.min(...levelNumbers);
  const highest = Math.max(...levelNumbers);
  const n = Math.max(1, input.axes.length);
  const angleOf = (i: number): number => -Math.PI / 2 + (2 * Math.PI * i) / n;
  const radiusOf = (v: number | null): number => (v === null ? 0 : (radius * (v - lowest + 1)) / (highest - lowest + 1));
  const at = (i: number, r: number): Point => ({ x: round(cx + r * Math.cos(angleOf(i))), y: round(cy + r * Math.sin(angleOf(i))) });

  return {
    axes: input.axes.map((_, i) => {
      const cos = Math.cos(angleOf(i));
      return {
        angle: round((angleOf(i) * 180) / Math.PI),
        end: at(i, radius),
        labelAt: at(i, radius + 18),
        anchor: cos > 0.25 ? 'start' : cos < -0.25 ? 'end' : 'middle',
      };
    }),
    rings: input.levels.map((l) => ({
      level: l.level,
      name: l.name,
      radius: round(radiusOf(l.level)),
      points: input.axes.map((_, i) => at(i, radiusOf(l.level))),
    })),
    series: input.series.map((s) => ({
      key: s.key,
      name: s.name,
      points: input.axes.map((_, i) => ({ ...at(i, radiusOf(s.values[i] ?? null)), value: s.values[i] ?? null })),
    })),
  };
}

export function radarSvg(input: RadarInput): string {
  const g = radarGeometry(input);
  const { width, height, cx, cy } = RADAR_BOX;
  const id = (suffix: string) => escapeXml(`${input.idPrefix}-${suffix}`);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id('title')} ${id('desc')}" class="chart radar" ${FONT}>`,
    `<title id="${id('title')}">${escapeXml(input.title)}</title>`,
    `<desc id="${id('desc')}">${escapeXml(input.description)}</desc>`,
  );
  // Rings: one per level, labelled along the first axis.
  for (const ring of g.rings) out.push(`<polygon points="${pointList(ring.points)}" fill="none" stroke="#c8c8c8" stroke-width="1"/>`);
  for (const axis of g.axes)
    out.push(`<line x1="${cx}" y1="${cy}" x2="${axis.end.x}" y2="${axis.end.y}" stroke="#c8c8c8" stroke-width="1"/>`);
  // Series, back to front: previous, target, current.
  const order: Record<string, number> = { previous: 0, target: 1, current: 2 };
  for (const s of [...g.series].sort((a, b) => (order[a.key] ?? 0) - (order[b.key] ?? 0))) {
    const style = RADAR_STYLES[s.key];
    const fill = s.key === 'current' ? `fill="${style.color}" fill-opacity="0.15"` : 'fill="none"';
    out.push(
      `<polygon points="${pointList(s.points)}" ${fill} stroke="${style.color}" stroke-width="${style.width}"${dashAttr(style.dash)} stroke-linejoin="round"/>`,
    );
    for (const p of s.points) out.push(marker(style.marker, p, style.color, 4.5));
  }
  // Ring labels on top of the series, with a white halo so they stay legible over the filled shape.
  for (const ring of g.rings) {
    out.push(
      `<text x="${round(cx + 8)}" y="${round(cy - ring.radius + 4)}" font-size="11" fill="#404040" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(truncate(`${ring.level} ${ring.name}`, 20))}</text>`,
    );
  }
  // Axis labels: the aspect, then its note on a second line, wrapped to stay inside the box. Labels
  // above the centre grow upwards, labels below grow downwards, side labels are centred on their axis.
  g.axes.forEach((axis, i) => {
    const a = input.axes[i]!;
    const lines = wrapLines(a.label, 22, 3);
    const blockHeight = (lines.length - 1) * 14 + 15;
    const sin = Math.sin((axis.angle * Math.PI) / 180);
    const firstBaseline =
      sin < -0.5 ? axis.labelAt.y - blockHeight - 4 : sin > 0.5 ? axis.labelAt.y + 10 : axis.labelAt.y - blockHeight / 2 + 4;
    const spans = lines.map((line, j) => `<tspan x="${axis.labelAt.x}" y="${round(firstBaseline + j * 14)}">${escapeXml(line)}</tspan>`);
    spans.push(
      `<tspan x="${axis.labelAt.x}" y="${round(firstBaseline + blockHeight)}" font-weight="700">${escapeXml(truncate(a.note, 28))}</tspan>`,
    );
    out.push(`<text text-anchor="${axis.anchor}" font-size="13" fill="#1a1a1a">${spans.join('')}</text>`);
  });
  // Legend, in words, below the chart.
  const legendY = height - 22;
  const present = input.series.map((s) => ({ style: RADAR_STYLES[s.key], name: s.name }));
  const slot = width / Math.max(1, present.length);
  present.forEach((s, i) => {
    const x = round(slot * i + slot / 2 - 70);
    out.push(
      `<line x1="${x}" y1="${legendY}" x2="${x + 36}" y2="${legendY}" stroke="${s.style.color}" stroke-width="${s.style.width}"${dashAttr(s.style.dash)}/>`,
      marker(s.style.marker, { x: x + 18, y: legendY }, s.style.color, 4.5),
      `<text x="${x + 44}" y="${legendY + 4}" font-size="13" fill="#1a1a1a">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

/** Above this many aspects a radar's labels crowd and overlap: the report draws level bars instead. */
export const RADAR_MAX_AXES = 10;

/**
 * The radar's content as one row per aspect, for a rubric of many aspects: the aspect's name, a bar to its current
 * level, a square at its target and a triangle at the previous period's level, on a scale of the rubric's levels.
 * Same input as radarSvg, so the two are interchangeable.
 */
export function levelBarsSvg(input: RadarInput): string {
  const levels = input.levels;
  const lowest = Math.min(...levels.map((l) => l.level));
  const highest = Math.max(...levels.map((l) => l.level));
  const labelWidth = 250;
  const left = labelWidth + 16;
  // Room on the right for the last level's label, centred on its line.
  const right = 600;
  const top = 54;
  const row = 30;
  const width = 680;
  const height = top + input.axes.length * row + 44;
  const xOf = (v: number) => round(left + ((v - lowest) / Math.max(1, highest - lowest)) * (right - left));
  const id = (suffix: string) => escapeXml(`${input.idPrefix}-${suffix}`);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id('title')} ${id('desc')}" class="chart level-bars" ${FONT}>`,
    `<title id="${id('title')}">${escapeXml(input.title)}</title>`,
    `<desc id="${id('desc')}">${escapeXml(input.description)}</desc>`,
  ];
  // The scale: a line and a label per level, the labels staggered on two rows so long names never collide.
  levels.forEach((l, i) => {
    const x = xOf(l.level);
    out.push(
      `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${top + input.axes.length * row}" stroke="#c8c8c8" stroke-width="1"/>`,
      `<text x="${x}" y="${i % 2 === 0 ? top - 28 : top - 12}" text-anchor="middle" font-size="11" fill="#404040">${escapeXml(truncate(`${l.level} ${l.name}`, 24))}</text>`,
    );
  });
  const series = new Map(input.series.map((s) => [s.key, s.values]));
  input.axes.forEach((axis, i) => {
    const y = top + i * row + row / 2;
    out.push(
      `<text x="${labelWidth}" y="${round(y + 4)}" text-anchor="end" font-size="12" fill="#1a1a1a">${escapeXml(truncate(axis.label, 38))}</text>`,
    );
    const now = series.get('current')?.[i] ?? null;
    if (now !== null)
      out.push(
        `<rect x="${left}" y="${round(y - 7)}" width="${Math.max(2, xOf(now) - left)}" height="14" fill="${RADAR_STYLES.current.color}" fill-opacity="0.75"/>`,
      );
    for (const key of ['previous', 'target'] as const) {
      const v = series.get(key)?.[i] ?? null;
      if (v !== null) out.push(marker(RADAR_STYLES[key].marker, { x: xOf(v), y }, RADAR_STYLES[key].color, 5));
    }
  });
  // Legend, in words, below the rows.
  const legendY = height - 16;
  input.series.forEach((s, i) => {
    const x = 20 + i * 200;
    const style = RADAR_STYLES[s.key];
    out.push(
      s.key === 'current'
        ? `<rect x="${x}" y="${legendY - 7}" width="30" height="14" fill="${style.color}" fill-opacity="0.75"/>`
        : marker(style.marker, { x: x + 15, y: legendY }, style.color, 5),
      `<text x="${x + 38}" y="${legendY + 4}" font-size="13" fill="#1a1a1a">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Trend

export interface TrendInput {
  readonly title: string;
  readonly description: string;
  /** X axis labels, oldest first. */
  readonly periods: readonly string[];
  /** Y gridlines: each level at its score (0–100), labelled with its name. */
  readonly levelLines: readonly { readonly name: string; readonly score: number }[];
  /** Scores 0–100, one per period; null breaks the line. The first series is drawn heaviest (overall). */
  readonly series: readonly { readonly name: string; readonly values: readonly (number | null)[] }[];
  readonly idPrefix: string;
}

export const TREND_BOX = { width: 720, left: 56, right: 640, top: 24, plotBottom: 284, legendRow: 22 } as const;

/**
 * Series 0 (overall) is black and solid with circles; the rest take the palette, dashes and markers in turn. Past
 * the six colours the dash pattern shifts by one each round, so no two of the first 36 series look alike.
 */
export function trendStyle(index: number): SeriesStyle {
  if (index === 0) return { color: '#000000', dash: '', marker: 'circle', width: 3.5 };
  const i = (index - 1) % PALETTE.length;
  const lap = Math.floor((index - 1) / PALETTE.length);
  return { color: PALETTE[i]!, dash: DASHES[(i + lap) % DASHES.length]!, marker: MARKERS[(i + 2 * lap) % MARKERS.length]!, width: 2 };
}

export interface TrendGeometry {
  readonly xs: readonly number[];
  readonly yOf: (score: number) => number;
  readonly series: readonly { readonly name: string; readonly points: readonly (Point | null)[] }[];
  readonly height: number;
}

/** x spreads the periods evenly across the plot; y maps score 0 to the bottom and 100 to the top. */
export function trendGeometry(input: Pick<TrendInput, 'periods' | 'series'>): TrendGeometry {
  const { left, right, top, plotBottom, legendRow } = TREND_BOX;
  const inset = 24;
  const n = input.periods.length;
  const xs = input.periods.map((_, i) => round(n === 1 ? (left + right) / 2 : left + inset + ((right - left - 2 * inset) * i) / (n - 1)));
  const yOf = (score: number): number => round(plotBottom - ((plotBottom - top) * Math.max(0, Math.min(100, score))) / 100);
  const legendRows = Math.ceil(input.series.length / 2);
  return {
    xs,
    yOf,
    series: input.series.map((s) => ({
      name: s.name,
      points: xs.map((x, i) => (s.values[i] == null ? null : { x, y: yOf(s.values[i]) })),
    })),
    height: plotBottom + 48 + legendRows * legendRow + 8,
  };
}

export function trendSvg(input: TrendInput): string {
  const g = trendGeometry(input);
  const { width, left, right, top, plotBottom, legendRow } = TREND_BOX;
  const id = (suffix: string) => escapeXml(`${input.idPrefix}-${suffix}`);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${g.height}" width="${width}" height="${g.height}" role="img" aria-labelledby="${id('title')} ${id('desc')}" class="chart trend" ${FONT}>`,
    `<title id="${id('title')}">${escapeXml(input.title)}</title>`,
    `<desc id="${id('desc')}">${escapeXml(input.description)}</desc>`,
  );
  // Level gridlines, labelled with the score and the level name.
  for (const line of input.levelLines) {
    const y = g.yOf(line.score);
    out.push(
      `<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#d0d0d0" stroke-width="1"/>`,
      `<text x="${left - 8}" y="${round(y + 4)}" text-anchor="end" font-size="11" fill="#595959">${escapeXml(String(Math.round(line.score)))}</text>`,
      `<text x="${right + 6}" y="${round(y + 4)}" font-size="11" fill="#595959">${escapeXml(truncate(line.name, 11))}</text>`,
    );
  }
  out.push(
    `<text x="14" y="${round((top + plotBottom) / 2)}" font-size="11" fill="#595959" transform="rotate(-90 14 ${round((top + plotBottom) / 2)})" text-anchor="middle">score (0–100)</text>`,
  );
  // Period labels: "Q3" over "2026" when the period reads as a quarter.
  input.periods.forEach((period, i) => {
    const x = g.xs[i]!;
    const quarter = /^(\d{4})-(Q[1-4])$/i.exec(period);
    const [first, second] = quarter ? [quarter[2]!.toUpperCase(), quarter[1]!] : [truncate(period, 10), ''];
    out.push(`<line x1="${x}" y1="${plotBottom}" x2="${x}" y2="${plotBottom + 5}" stroke="#767676"/>`);
    out.push(
      `<text x="${x}" y="${plotBottom + 19}" text-anchor="middle" font-size="12" fill="#1a1a1a">${escapeXml(first)}${second === '' ? '' : `<tspan x="${x}" dy="14" font-size="11" fill="#595959">${escapeXml(second)}</tspan>`}</text>`,
    );
  });
  // Lines, overall last so it stays on top.
  const drawOrder = g.series.map((_, i) => i).reverse();
  for (const i of drawOrder) {
    const s = g.series[i]!;
    const style = trendStyle(i);
    for (const run of runs(s.points)) {
      if (run.length > 1)
        out.push(
          `<polyline points="${pointList(run)}" fill="none" stroke="${style.color}" stroke-width="${style.width}"${dashAttr(style.dash)} stroke-linejoin="round"/>`,
        );
    }
    for (const p of s.points) if (p) out.push(marker(style.marker, p, style.color, i === 0 ? 5 : 4));
  }
  // The overall score, written at each point.
  const overall = input.series[0];
  if (overall) {
    g.series[0]!.points.forEach((p, i) => {
      const v = overall.values[i];
      if (p && v != null)
        out.push(
          `<text x="${p.x}" y="${round(p.y - 10)}" text-anchor="middle" font-size="11" font-weight="700" fill="#000000" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(String(Math.round(v)))}</text>`,
        );
    });
  }
  // Legend: two per row.
  const legendTop = plotBottom + 56;
  input.series.forEach((s, i) => {
    const style = trendStyle(i);
    const x = left + (i % 2) * 320;
    const y = legendTop + Math.floor(i / 2) * legendRow;
    out.push(
      `<line x1="${x}" y1="${y}" x2="${x + 30}" y2="${y}" stroke="${style.color}" stroke-width="${style.width}"${dashAttr(style.dash)}/>`,
      marker(style.marker, { x: x + 15, y }, style.color, 4),
      `<text x="${x + 38}" y="${y + 4}" font-size="12" fill="#1a1a1a"${i === 0 ? ' font-weight="700"' : ''}>${escapeXml(truncate(s.name, 40))}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

export function marker(shape: MarkerShape, p: Point, color: string, size: number): string {
  const { x, y } = p;
  const s = size;
  const path = (d: string) => `<path d="${d}" fill="${color}" stroke="#ffffff" stroke-width="1"/>`;
  switch (shape) {
    case 'circle':
      return `<circle cx="${x}" cy="${y}" r="${s}" fill="${color}" stroke="#ffffff" stroke-width="1"/>`;
    case 'square':
      return path(`M${round(x - s)} ${round(y - s)}h${round(2 * s)}v${round(2 * s)}h${round(-2 * s)}Z`);
    case 'triangle':
      return path(`M${x} ${round(y - s * 1.2)}L${round(x + s * 1.1)} ${round(y + s * 0.8)}L${round(x - s * 1.1)} ${round(y + s * 0.8)}Z`);
    case 'triangle-down':
      return path(`M${x} ${round(y + s * 1.2)}L${round(x + s * 1.1)} ${round(y - s * 0.8)}L${round(x - s * 1.1)} ${round(y - s * 0.8)}Z`);
    case 'diamond':
      return path(`M${x} ${round(y - s * 1.3)}L${round(x + s * 1.3)} ${y}L${x} ${round(y + s * 1.3)}L${round(x - s * 1.3)} ${y}Z`);
    case 'cross':
      return `<path d="M${round(x - s)} ${round(y - s)}L${round(x + s)} ${round(y + s)}M${round(x + s)} ${round(y - s)}L${round(x - s)} ${round(y + s)}" stroke="${color}" stroke-width="2.5"/>`;
  }
}

function dashAttr(dash: string): string {
  return dash === '' ? '' : ` stroke-dasharray="${dash}"`;
}

function pointList(points: readonly Point[]): string {
  return points.map((p) => `${p.x},${p.y}`).join(' ');
}

/** Consecutive non-null points. */
function runs(points: readonly (Point | null)[]): Point[][] {
  const result: Point[][] = [[]];
  for (const p of points) {
    if (p) result.at(-1)!.push(p);
    else if (result.at(-1)!.length > 0) result.push([]);
  }
  return result.filter((r) => r.length > 0);
}

/** Word-wraps to at most `maxLines` lines of at most `width` columns; the last line ends with … when cut. */
export function wrapLines(text: string, width: number, maxLines: number): string[] {
  const lines = wrap(text.trim(), width);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = truncate(`${kept[maxLines - 1] ?? ''} ${lines[maxLines] ?? ''}`, width);
  return kept;
}

/** Two decimals, and never "-0". */
export function round(n: number): number {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? 0 : r;
}
