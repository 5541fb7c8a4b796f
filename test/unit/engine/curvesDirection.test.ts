/**
 * Multiclass curves along a chosen direction in logit space, against closed forms of
 * cross-entropy with y = 1 and K = 4 classes, on the float64 reference:
 * - margin, s = (t, 0, …, 0): log(1 + (K−1)e^{−t});
 * - rival, s = (t/2, −t/2, 0, …, 0): log(e^{t/2} + e^{−t/2} + K − 2) − t/2;
 * - logit k ≠ 1, s_k = t: log(e^t + K − 1), growing with t;
 * with their first and second derivatives differentiated by hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { curveDirectionProblem, curveDirections, isCurveDirection, type CurveDirection } from '../../../src/core/engine/curveDirection';
import { computeCurves } from '../../../src/core/engine/curves';
import type { Executor } from '../../../src/core/engine/executor';
import { runReference } from '../../../src/core/engine/reference';
import type { CurvesResult } from '../../../src/core/results';
import { lowered } from '../lowered';

const reference: Executor = { backend: 'cpu', compile: (program) => async (bindings) => runReference(program, bindings).map((c) => Float32Array.from(c)) };

const K = 4;
const CROSS_ENTROPY = `@classes ${K}\ncross_entropy(s, y) = logsumexp(s) - s[y]`;

const loss = lowered;

async function curves(direction?: CurveDirection, text = CROSS_ENTROPY): Promise<CurvesResult> {
  const r = await computeCurves(reference, loss(text), {}, 41, [-6, 6], direction);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

/** Within float32 rounding of the closed form. */
function close(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= 2e-5 * Math.max(1, Math.abs(expected)), `${what}: ${actual} against ${expected}`);
}

interface ClosedForm {
  readonly value: (t: number) => number;
  readonly first: (t: number) => number;
  readonly second: (t: number) => number;
}

// margin: f = log(1 + a e^{-t}), a = K - 1; f' = -a e^{-t} / (1 + a e^{-t}); f'' = a e^{-t} / (1 + a e^{-t})^2.
const MARGIN: ClosedForm = {
  value: (t) => Math.log(1 + (K - 1) * Math.exp(-t)),
  first: (t) => -((K - 1) * Math.exp(-t)) / (1 + (K - 1) * Math.exp(-t)),
  second: (t) => ((K - 1) * Math.exp(-t)) / (1 + (K - 1) * Math.exp(-t)) ** 2,
};

// rival: f = log(D) - t/2, D = e^{t/2} + e^{-t/2} + b, b = K - 2; D' = sinh(t/2), D'' = cosh(t/2)/2.
// f' = sinh(t/2)/D - 1/2; f'' = (cosh(t/2)/2 · D - sinh(t/2)^2) / D^2.
const RIVAL: ClosedForm = {
  value: (t) => Math.log(2 * Math.cosh(t / 2) + K - 2) - t / 2,
  first: (t) => Math.sinh(t / 2) / (2 * Math.cosh(t / 2) + K - 2) - 0.5,
  second: (t) => {
    const d = 2 * Math.cosh(t / 2) + K - 2;
    return ((Math.cosh(t / 2) / 2) * d - Math.sinh(t / 2) ** 2) / d ** 2;
  },
};

// logit k ≠ 1: f = log(e^t + c), c = K - 1; f' = e^t / (e^t + c); f'' = c e^t / (e^t + c)^2.
const LOGIT: ClosedForm = {
  value: (t) => Math.log(Math.exp(t) + K - 1),
  first: (t) => Math.exp(t) / (Math.exp(t) + K - 1),
  second: (t) => ((K - 1) * Math.exp(t)) / (Math.exp(t) + K - 1) ** 2,
};

function assertClosedForm(result: CurvesResult, form: ClosedForm, what: string): void {
  const [series] = result.curves;
  assert.ok(series, 'one series');
  for (const [i, t] of result.axis.values.entries()) {
    close(series.value[i], form.value(t), `${what}: value at t = ${t}`);
    close(series.first[i], form.first(t), `${what}: first derivative at t = ${t}`);
    close(series.second[i], form.second(t), `${what}: second derivative at t = ${t}`);
  }
}

describe('multiclass curves along a direction (cross-entropy, y = 1, K = 4)', () => {
  it('margin: log(1 + (K−1)e^{−t}), the same result as a request without a direction', async () => {
    const plain = await curves();
    const margin = await curves('margin');
    assertClosedForm(plain, MARGIN, 'default');
    assertClosedForm(margin, MARGIN, 'margin');
    assert.deepEqual(margin.curves, plain.curves);
    assert.equal(margin.axis.label, plain.axis.label);
    assert.equal(plain.axis.label, 't, with s = (t, 0, …, 0) and y = 1 (K = 4)');
    // Without a direction the answer names none, as before; with one it says which.
    assert.equal('direction' in plain, false);
    assert.equal(margin.direction, 'margin');
  });

  it('rival: log(e^{t/2} + e^{−t/2} + K − 2) − t/2', async () => {
    const r = await curves('rival');
    assertClosedForm(r, RIVAL, 'rival');
    assert.match(r.axis.label, /t\/2, −t\/2/);
  });

  it('logit k ≠ 1: log(e^t + K − 1), increasing with t since y = 1 stays', async () => {
    for (const k of [2, 3, 4]) {
      const r = await curves(`logit:${k}`);
      assertClosedForm(r, LOGIT, `logit ${k}`);
      assert.match(r.axis.label, new RegExp(`s_${k} = t`));
      const v = r.curves[0]?.value ?? [];
      assert.ok((v.at(-1) ?? 0) > (v[0] ?? 0), 'grows with t');
    }
  });

  it('logit 1 is the margin', async () => {
    assertClosedForm(await curves('logit:1'), MARGIN, 'logit 1');
  });

  it('a direction the loss cannot have is an error, not a curve', async () => {
    const r = await computeCurves(reference, loss(CROSS_ENTROPY), {}, 11, undefined, 'logit:5');
    assert.equal(r.ok, false);
    assert.equal(curveDirectionProblem('logit:5', 4), "the direction 'logit:5' names logit 5; this loss has 4 classes");
    assert.equal(curveDirectionProblem('rival', 1), "the direction 'rival' needs at least 2 classes; this loss has 1");
  });

  it('a scalar loss ignores the direction', async () => {
    const hinge = 'hinge(z) = max(0, 1 - z)';
    const r = await computeCurves(reference, loss(hinge), {}, 11, undefined, 'rival');
    assert.ok(r.ok);
    assert.equal('direction' in r.value, false);
  });
});

describe('curve directions', () => {
  it('spells margin, rival and logit:k with k from 1', () => {
    for (const ok of ['margin', 'rival', 'logit:1', 'logit:12', 'logit:9999']) assert.ok(isCurveDirection(ok), ok);
    for (const bad of ['', 'logit', 'logit:0', 'logit:01', 'logit:-1', 'logit:1.5', 'logit:10000', 'Margin', 3, null, undefined, { margin: 1 }])
      assert.equal(isCurveDirection(bad), false, String(bad));
  });

  it('lists margin, rival and logits 2..K for K classes', () => {
    assert.deepEqual(
      curveDirections(4).map((d) => d.direction),
      ['margin', 'rival', 'logit:2', 'logit:3', 'logit:4'],
    );
  });
});
