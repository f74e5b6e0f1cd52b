import { describe, expect, it } from 'vitest';
import { RADAR_BOX, TREND_BOX, radarGeometry, radarSvg, trendGeometry, trendSvg, wrapLines } from '../../src/views/svg.js';
import { HOSTILE } from './report/hostile.js';

const ELEMENTS = ['svg', 'title', 'desc', 'polygon', 'line', 'text', 'tspan', 'path', 'circle', 'polyline'];
const ATTRIBUTES = [
  ...[
    'xmlns',
    'viewBox',
    'width',
    'height',
    'role',
    'aria-labelledby',
    'class',
    'font-family',
    'id',
    'points',
    'fill',
    'fill-opacity',
    'stroke',
    'stroke-width',
  ],
  ...[
    'stroke-dasharray',
    'stroke-linejoin',
    'x',
    'y',
    'x1',
    'y1',
    'x2',
    'y2',
    'dy',
    'cx',
    'cy',
    'r',
    'd',
    'font-size',
    'font-weight',
    'text-anchor',
    'paint-order',
    'transform',
  ],
];
const LEVELS = [1, 2, 3, 4, 5].map((level) => ({ level, name: `L${level}` }));
const SIX = ['a', 'b', 'c', 'd', 'e', 'f'].map((label) => ({ label, note: '' }));

describe('radar geometry', () => {
  it('puts each vertex on its axis at the radius of its level', () => {
    const levels = [1, 2, 3, 4, 5, 3];
    const g = radarGeometry({ levels: LEVELS, axes: SIX, series: [{ key: 'current', name: 'Now', values: levels }] });
    const { cx, cy, radius } = RADAR_BOX;
    g.series[0]!.points.forEach((p, i) => {
      // Axis i points at −90° + 60°·i; level L sits at R·L/5 for levels 1–5.
      const angle = (-90 + 60 * i) * (Math.PI / 180);
      const r = (radius * levels[i]!) / 5;
      expect(p.x).toBeCloseTo(cx + r * Math.cos(angle), 2);
      expect(p.y).toBeCloseTo(cy + r * Math.sin(angle), 2);
    });
  });

  it('draws the first axis straight up and the fourth of six straight down', () => {
    const g = radarGeometry({ levels: LEVELS, axes: SIX, series: [{ key: 'current', name: 'Now', values: [5, 5, 5, 5, 5, 5] }] });
    expect(g.series[0]!.points[0]).toMatchObject({ x: RADAR_BOX.cx, y: RADAR_BOX.cy - RADAR_BOX.radius });
    expect(g.series[0]!.points[3]).toMatchObject({ x: RADAR_BOX.cx, y: RADAR_BOX.cy + RADAR_BOX.radius });
  });

  it('draws one ring per level, the top level on the rim', () => {
    const g = radarGeometry({ levels: LEVELS, axes: SIX, series: [] });
    expect(g.rings.map((r) => r.radius)).toEqual([1, 2, 3, 4, 5].map((l) => (RADAR_BOX.radius * l) / 5));
  });

  it('puts an aspect without a level at the centre', () => {
    const g = radarGeometry({ levels: LEVELS, axes: SIX, series: [{ key: 'current', name: 'Now', values: [null, 1, 1, 1, 1, 1] }] });
    expect(g.series[0]!.points[0]).toMatchObject({ x: RADAR_BOX.cx, y: RADAR_BOX.cy, value: null });
  });

  it('scales a rubric whose levels do not start at 1', () => {
    const levels = [0, 1, 2].map((level) => ({ level, name: `L${level}` }));
    const g = radarGeometry({ levels, axes: SIX, series: [{ key: 'current', name: 'Now', values: [0, 1, 2, 2, 1, 0] }] });
    expect(RADAR_BOX.cy - g.series[0]!.points[0]!.y).toBeCloseTo(RADAR_BOX.radius / 3, 2);
    expect(g.series[0]!.points[3]!.y - RADAR_BOX.cy).toBeCloseTo(RADAR_BOX.radius, 2);
  });

  it('draws the same vertices into the SVG', () => {
    const input = {
      title: 't',
      description: 'd',
      idPrefix: 'radar',
      levels: LEVELS,
      axes: SIX,
      series: [{ key: 'current' as const, name: 'Now', values: [1, 2, 3, 4, 5, 3] }],
    };
    const points = radarGeometry(input)
      .series[0]!.points.map((p) => `${p.x},${p.y}`)
      .join(' ');
    expect(radarSvg(input)).toContain(`points="${points}"`);
  });
});

describe('trend geometry', () => {
  it('spreads periods evenly and maps score 0 to the bottom and 100 to the top', () => {
    const g = trendGeometry({ periods: ['2026-Q1', '2026-Q2', '2026-Q3'], series: [{ name: 'Overall', values: [0, 50, 100] }] });
    const [a, b, c] = g.xs;
    expect(b! - a!).toBeCloseTo(c! - b!, 2);
    expect(g.series[0]!.points.map((p) => p!.y)).toEqual([TREND_BOX.plotBottom, (TREND_BOX.plotBottom + TREND_BOX.top) / 2, TREND_BOX.top]);
  });

  it('leaves a gap where a period has no score', () => {
    const g = trendGeometry({ periods: ['a', 'b', 'c'], series: [{ name: 'x', values: [10, null, 30] }] });
    expect(g.series[0]!.points[1]).toBeNull();
    const svg = trendSvg({
      title: 't',
      description: 'd',
      idPrefix: 'trend',
      periods: ['a', 'b', 'c'],
      levelLines: [],
      series: [{ name: 'x', values: [10, null, 30] }],
    });
    expect(svg).not.toContain('<polyline');
  });
});

describe('every string embedded in a chart is escaped', () => {
  for (const [name, text] of Object.entries(HOSTILE)) {
    it(`escapes ${name}`, () => {
      const radar = radarSvg({
        title: text,
        description: text,
        idPrefix: 'radar',
        levels: LEVELS.map((l) => ({ ...l, name: text })),
        axes: SIX.map(() => ({ label: text, note: text })),
        series: [{ key: 'current', name: text, values: [1, 2, 3, 4, 5, 1] }],
      });
      const trend = trendSvg({
        title: text,
        description: text,
        idPrefix: 'trend',
        periods: [text, '2026-Q2'],
        levelLines: [{ name: text, score: 50 }],
        series: [{ name: text, values: [1, 2] }],
      });
      for (const svg of [radar, trend]) {
        expect(svg.match(/<svg[\s>]/g)).toHaveLength(1);
        expect(svg.match(/<\/svg>/g)).toHaveLength(1);
        expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
        expect(svg).not.toMatch(/<script|<style|<img|<foreignObject|<a[\s>]/i);
        // Every tag is one of the chart's own elements, with only the chart's own attributes.
        for (const [, name, attributes] of svg.matchAll(/<\/?([a-zA-Z]+)([^>]*)>/g)) {
          expect(ELEMENTS).toContain(name);
          for (const [, attribute] of attributes!.matchAll(/\s([^\s=]+)="[^"]*"/g)) expect(ATTRIBUTES).toContain(attribute);
          expect(attributes!.replace(/\s([^\s=]+)="[^"]*"/g, '').trim()).toMatch(/^\/?$/);
        }
      }
    });
  }
});

describe('axis labels', () => {
  it('wraps long titles and cuts what does not fit', () => {
    expect(wrapLines('Application definition & development', 22, 3)).toEqual(['Application definition', '& development']);
    const lines = wrapLines('word '.repeat(40), 10, 3);
    expect(lines).toHaveLength(3);
    expect(lines[2]!.endsWith('…')).toBe(true);
  });
});
