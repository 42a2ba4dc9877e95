import { describe, expect, it } from 'vitest';
import { describeRates, describeSeconds, lineChart, secondsDomain, sparkline, type ChartValue } from './charts';

const vals = (...xs: (number | null)[]): ChartValue[] => xs.map((value, i) => ({ value, label: `run ${i + 1}` }));

describe('lineChart', () => {
  it('spreads points edge to edge, 100% at the top and 0% at the bottom', () => {
    const g = lineChart(vals(0, 0.5, 1), { width: 200, height: 100, pad: { top: 10, right: 10, bottom: 10, left: 40 } });
    expect(g.points.map(({ x, y }) => [x, y])).toEqual([
      [40, 90],
      [115, 50],
      [190, 10],
    ]);
    expect(g.segments).toEqual(['40,90 115,50 190,10']);
    expect(g.points.map((p) => p.label)).toEqual(['run 1', 'run 2', 'run 3']);
  });

  it('puts a single run in the middle', () => {
    const g = lineChart(vals(0.25), { width: 100, height: 40 });
    expect(g.points).toEqual([{ x: 50, y: 30, value: 0.25, label: 'run 1' }]);
    expect(g.segments).toEqual(['50,30']);
  });

  it('leaves a gap where a run had no results, keeping the other runs in their places', () => {
    const g = lineChart(vals(1, 1, null, 0, 0), { width: 40, height: 10 });
    expect(g.points.map((p) => p.x)).toEqual([0, 10, 30, 40]);
    expect(g.segments).toEqual(['0,0 10,0', '30,10 40,10']);
  });

  it('clamps values outside the domain to the plot area', () => {
    const g = lineChart(vals(1.5, -1), { width: 10, height: 10 });
    expect(g.points.map((p) => p.y)).toEqual([0, 10]);
    expect(g.points.map((p) => p.value)).toEqual([1.5, -1]);
  });

  it('draws no points for no runs', () => {
    const g = lineChart([], { width: 10, height: 10 });
    expect(g.points).toEqual([]);
    expect(g.segments).toEqual([]);
  });

  it('places the guide lines and labels them as percentages', () => {
    const g = lineChart(vals(1), { width: 100, height: 120, pad: { top: 10, right: 0, bottom: 10, left: 0 }, ticks: [0, 0.5, 1] });
    expect(g.ticks).toEqual([
      { y: 110, label: '0%' },
      { y: 60, label: '50%' },
      { y: 10, label: '100%' },
    ]);
  });

  it('rounds coordinates to a tenth of a pixel', () => {
    const g = lineChart(vals(1 / 3, 2 / 3, 1), { width: 100, height: 100 });
    expect(g.points.map((p) => [p.x, p.y])).toEqual([
      [0, 66.7],
      [50, 33.3],
      [100, 0],
    ]);
  });
});

describe('sparkline', () => {
  it('keeps the line and its end dot inside the box', () => {
    const g = sparkline(vals(0, 1), { width: 100, height: 24 });
    expect(g.points.map(({ x, y }) => [x, y])).toEqual([
      [3, 21],
      [97, 3],
    ]);
    expect(g.width).toBe(100);
    expect(g.height).toBe(24);
  });
});

describe('describeRates', () => {
  it('sums the series up in words', () => {
    expect(describeRates('Smoke pass rate on main', vals(1, 0.5, null, 0.83))).toBe(
      'Smoke pass rate on main over the last 3 runs: latest 83%, lowest 50%, highest 100%',
    );
    expect(describeRates('Smoke pass rate', vals(1))).toBe('Smoke pass rate: 1 run, 100%');
    expect(describeRates('Smoke pass rate', vals(null))).toBe('Smoke pass rate: no runs with results yet');
  });
});

describe('secondsDomain', () => {
  it('rounds the longest value up to a step a guide line can name', () => {
    expect(secondsDomain(vals(12, 45))).toEqual([0, 60]);
    expect(secondsDomain(vals(95))).toEqual([0, 120]);
    expect(secondsDomain(vals(60))).toEqual([0, 60]);
    expect(secondsDomain(vals(3 * 86400 + 1))).toEqual([0, 4 * 86400]);
  });

  it('gives a flat or empty series a height', () => {
    expect(secondsDomain(vals(0, 0))).toEqual([0, 10]);
    expect(secondsDomain(vals(null))).toEqual([0, 10]);
    expect(secondsDomain([])).toEqual([0, 10]);
  });
});

describe('describeSeconds', () => {
  const fmt = (s: number) => `${s}s`;
  it('sums the series up in words', () => {
    expect(describeSeconds('Run time on main', vals(95, null, 62, 190), fmt)).toBe('Run time on main over the last 3 runs: latest 190s, shortest 62s, longest 190s');
    expect(describeSeconds('Queue time', vals(45), fmt)).toBe('Queue time: 1 run, 45s');
    expect(describeSeconds('Queue time', [], fmt)).toBe('Queue time: no runs yet');
  });
});
