import { describe, expect, it } from 'vitest';
import { diamondPath, labelledTicks, plotArea, rowScale, stepDot, violinPath, wrapLabel, xScale } from './chartGeometry';

const plot = { left: 100, right: 500, top: 0, bottom: 200 };

describe('xScale', () => {
  it('maps a log domain by ratio: each decade the same width', () => {
    const x = xScale(true, [0.1, 1000], plot);
    expect(x(0.1)).toBeCloseTo(100, 9);
    expect(x(1000)).toBeCloseTo(500, 9);
    expect(x(1) - x(0.1)).toBeCloseTo(100, 9);
    expect(x(100) - x(10)).toBeCloseTo(100, 9);
  });
  it('puts what a log axis cannot draw at its left edge, not at NaN', () => {
    expect(xScale(true, [0.1, 10], plot)(0)).toBe(100);
  });
  it('maps a linear domain linearly', () => {
    const x = xScale(false, [0, 40], plot);
    expect(x(0)).toBe(100);
    expect(x(10)).toBe(200);
    expect(x(40)).toBe(500);
  });
});

describe('plotArea and rowScale', () => {
  it('leaves the margins and centres each row in its band, the first on top', () => {
    const p = plotArea(600, 160);
    expect(p).toEqual({ left: 122, right: 582, top: 6, bottom: 132 });
    const y = rowScale(2, p);
    expect(y(0)).toBe(6 + 31.5);
    expect(y(1)).toBe(6 + 94.5);
    expect(y(0, 0.5)).toBe(y(1, -0.5)); // bands touch, never overlap
  });
  it('never draws backwards in a container too narrow to measure yet', () => {
    const p = plotArea(0, 10);
    expect(p.right).toBeGreaterThan(p.left);
    expect(p.bottom).toBeGreaterThan(p.top);
  });
});

describe('labelledTicks', () => {
  it('keeps every label that fits', () => {
    expect(labelledTicks([0, 100, 200], [40, 40, 40])).toEqual([true, true, true]);
  });
  it('drops labels that would touch, keeping the last', () => {
    expect(labelledTicks([0, 30, 60, 90], [40, 40, 40, 40])).toEqual([true, false, true, false].reverse());
  });
});

describe('wrapLabel', () => {
  it('breaks at spaces within the width, keeping a long word whole', () => {
    expect(wrapLabel('container:runc', 17)).toEqual(['container:runc']);
    expect(wrapLabel('container:runsc (plancher)', 17)).toEqual(['container:runsc', '(plancher)']);
    expect(wrapLabel('a-very-long-model-name-here x', 10)).toEqual(['a-very-long-model-name-here', 'x']);
  });
});

describe('violinPath', () => {
  const x = (v: number) => v * 10;
  it('closes a mirrored outline through every point of the curve', () => {
    const d = violinPath({ x: [1, 2, 3], y: [0.5, 1, 0.5] }, x, 50, 20);
    expect(d).toBe('M10,40L20,30L30,40L30,60L20,70L10,60Z');
  });
  it('draws a line across the row when every sample is the same', () => {
    expect(violinPath({ x: [2], y: [1] }, x, 50, 20)).toBe('M20,30V70');
  });
});

describe('diamondPath', () => {
  it('has the area of the dot it stands beside, taller than wide', () => {
    const r = 3;
    const nums = diamondPath(0, 0, r).match(/-?[\d.]+/g)!.map(Number);
    const h = -nums[1];
    const w = nums[2];
    expect(h).toBeGreaterThan(w);
    expect(2 * w * h).toBeCloseTo(Math.PI * r * r, 0);
  });
});

describe('stepDot', () => {
  const pts = [
    { x: 30, i: 0 },
    { x: 10, i: 0 },
    { x: 20, i: 1 },
    { x: 35, i: 1 },
  ];
  it('walks the dots in order of x with the arrows, from the first', () => {
    expect(stepDot(pts, undefined, 'ArrowRight')).toBe(1);
    expect(stepDot(pts, 1, 'ArrowRight')).toBe(2);
    expect(stepDot(pts, 3, 'ArrowRight')).toBe(3);
    expect(stepDot(pts, 2, 'ArrowLeft')).toBe(1);
    expect(stepDot(pts, undefined, 'End')).toBe(3);
  });
  it('goes to the nearest dot of the next row, and stays at the last row', () => {
    expect(stepDot(pts, 0, 'ArrowDown')).toBe(3);
    expect(stepDot(pts, 1, 'ArrowDown')).toBe(2);
    expect(stepDot(pts, 2, 'ArrowDown')).toBe(2);
  });
  it('lets other keys through and clears on Escape', () => {
    expect(stepDot(pts, 0, 'Tab')).toBeNull();
    expect(stepDot(pts, 0, 'Escape')).toBeUndefined();
  });
});
