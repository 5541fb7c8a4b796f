/**
 * Divergences where entries of p and q are 0. The convention 0 log(0 / y) = 0 is a branch; the
 * branch not taken is still differentiated, and log's derivative 1/0 times that branch's zero
 * adjoint was NaN. The library's rel_entr reads its logs at 1 there ("double where"), so the
 * gradient is finite and equals the one-sided limit along the face of the simplex.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from './reference';

const finite = (v: number | readonly number[]): boolean => (typeof v === 'number' ? Number.isFinite(v) : v.every(Number.isFinite));

describe('divergences at the faces of the simplex', () => {
  it('JS(p, p) = 0 with a finite gradient when p has zero entries', () => {
    const r = evaluate('js', { p: [1, 0, 0], q: [1, 0, 0] });
    assert.equal(r.value, 0);
    assert.ok(finite(r.grad.p as number[]) && finite(r.grad.q as number[]), JSON.stringify(r.grad));
  });

  it('KL(p || q) with p_3 = 0: d/dq = -p / q on the support and 0 off it', () => {
    const p = [0.5, 0.5, 0];
    const q = [0.5, 0.25, 0.25];
    const r = evaluate('kl', { p, q });
    // KL = 0.5 log(0.5 / 0.5) + 0.5 log(0.5 / 0.25) = 0.5 log 2.
    assert.ok(Math.abs(r.value - 0.5 * Math.LN2) < 1e-15);
    (r.grad.q as number[]).forEach((g, j) => assert.ok(Math.abs(g - -(p[j] as number) / (q[j] as number)) < 1e-12, `d/dq${j + 1} = ${g}`));
  });

  it('KL(p || q) with p_3 = q_3 = 0 has a finite gradient', () => {
    const r = evaluate('kl', { p: [0.5, 0.5, 0], q: [0.5, 0.5, 0] });
    assert.equal(r.value, 0);
    assert.ok(finite(r.grad.p as number[]) && finite(r.grad.q as number[]), JSON.stringify(r.grad));
  });
});
