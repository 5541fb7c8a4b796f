/**
 * sum_over(k, from, to, expression): a bounded sum, unrolled with k a constant in each term.
 * Taylor cross-entropy (Feng et al. 2020) is sum_{k=1}^{t} (1 - p)^k / k, whose limit t -> inf is
 * -log p (the series of log(1 - x) at x = 1 - p); errors name the line and column.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorLines, valueAt } from '../lowered';

describe('sum_over', () => {
  it('Taylor cross-entropy of order 6 at p = 0.5 is sum_k 0.5^k / k, and of order 200 it is -log p', () => {
    let expected = 0;
    for (let k = 1; k <= 6; k++) expected += 0.5 ** k / k;
    assert.ok(Math.abs(valueAt('taylor_ce(p) = sum_over(k, 1, 6, (1 - p)^k / k)', { p: 0.5 }) - expected) < 1e-15);
    assert.ok(Math.abs(valueAt('taylor_ce(p) = sum_over(k, 1, 200, (1 - p)^k / k)', { p: 0.5 }) + Math.log(0.5)) < 1e-15);
  });

  it('nests, the inner term reading both indices: sum_{i=1}^{3} sum_{j=1}^{2} i j = 6 * 3', () => {
    assert.equal(valueAt('f(z) = z + sum_over(i, 1, 3, sum_over(j, 1, 2, i * j))', { z: 0 }), 18);
  });

  it('names the index, the bounds and the count at their line and column', () => {
    assert.deepEqual(errorLines('f(z) = sum_over(z, 1, 3, z)\n'), ["1:17 the index 'z' is already a name here: choose a new one"]);
    assert.deepEqual(errorLines('f(z) = sum_over(k, 1, 2.5, z^k)\n'), ['1:23 sum_over runs between whole numbers written as numbers']);
    assert.deepEqual(errorLines('f(z) = sum_over(k, 1, 5000, z^k)\n'), ['1:8 sum_over(1 to 5000) has 5000 terms; at most 1000']);
    assert.deepEqual(errorLines('f(z) = k + sum_over(k, 1, 2, z^k)\n'), ["1:8 unknown name 'k' (did you mean 'z'?)"]);
    assert.deepEqual(errorLines('f(z) = sum_over(k, 1, 2, sum_over(k, 1, 2, z))\n'), ["1:35 the index 'k' is already a name here: choose a new one"]);
  });
});
