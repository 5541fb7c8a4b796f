/** The landscape's colour scale: ends, inverse, and a basin that keeps its share of colours. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { valueScale } from '../../../webview/landscapeScale';

describe('valueScale', () => {
  it('maps the least value to 0 and the greatest to 1, and fromUnit inverts toUnit', () => {
    const values = Array.from({ length: 101 }, (_, k) => k / 10);
    const scale = valueScale(values, 0, 10);
    assert.equal(scale.toUnit(0), 0);
    assert.ok(Math.abs(scale.toUnit(10) - 1) < 1e-12);
    for (const v of [0.3, 2, 7.5]) assert.ok(Math.abs(scale.fromUnit(scale.toUnit(v)) - v) < 1e-12);
  });

  it('gives the basin a visible share of the colours when walls dwarf it', () => {
    // 99 values in [0, 1] and one wall at 1000: the median is 0.5.
    const values = [...Array.from({ length: 99 }, (_, k) => k / 98), 1000];
    const scale = valueScale(values, 0, 1000);
    assert.ok(scale.toUnit(1) > 0.1, `a linear scale would give ${1 / 1000}; this gives ${scale.toUnit(1)}`);
    assert.ok(scale.toUnit(0.5) < scale.toUnit(1));
  });

  it('is constant on a flat landscape', () => {
    const scale = valueScale([2, 2, 2], 2, 2);
    assert.equal(scale.toUnit(2), 0.5);
    assert.equal(scale.fromUnit(0.3), 2);
  });
});
