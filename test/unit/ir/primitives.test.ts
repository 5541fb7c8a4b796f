/**
 * The trigonometric, hyperbolic and error-function primitives and stop_gradient: values against
 * published tables and identities, derivatives against their textbook rules, and stop_gradient's
 * contract (the value passes, no derivative flows back, and the gradient check holds it fixed).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { gradientCheck } from '../../../src/core/checks/gradient';
import { startBackend } from '../../../src/core/engine/backend';
import type { Executor } from '../../../src/core/engine/executor';
import { runReference } from '../../../src/core/engine/reference';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { gradient, secondDerivative } from '../../../src/core/ir/autodiff';
import type { NodeId } from '../../../src/core/ir/graph';
import { toLatex } from '../../../src/core/ir/latex';
import { lowerToProgram } from '../../../src/core/ir/program';
import { erf64, logGamma64, polygamma64 } from '../../../src/core/ir/special';
import { lowered } from '../lowered';

let executor: Executor;
before(async () => {
  const s = await startBackend();
  executor = tensorExecutor(s.tf, s.backend);
});

/** Value, first and second derivative of a one-input loss, in float64. */
function derivatives(text: string, xs: readonly number[]): { value: number[]; d1: number[]; d2: number[] } {
  const l = lowered(text);
  const leaf = (l.inputs[0] as { leaf: NodeId }).leaf;
  const [d1] = gradient(l.graph, l.value, [leaf]);
  const d2 = secondDerivative(l.graph, l.value, leaf);
  const name = (l.inputs[0] as { spec: { name: string } }).spec.name;
  const out = runReference(lowerToProgram(l.graph, [l.value, d1 as NodeId, d2]), { rows: xs.length, values: { [name]: [...xs] } });
  return { value: Array.from(out[0] as Float64Array), d1: Array.from(out[1] as Float64Array), d2: Array.from(out[2] as Float64Array) };
}

function close(actual: number, expected: number, rel: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${label}: ${actual} != ${expected}`);
}

describe('erf in float64', () => {
  // Abramowitz and Stegun, Table 7.1 (erf x to 15 decimals), and erf(-x) = -erf(x).
  const TABLE: [number, number][] = [
    [0.1, 0.112462916018285],
    [0.5, 0.520499877813047],
    [1, 0.842700792949715],
    [1.5, 0.966105146475311],
    [2, 0.995322265018953],
  ];
  for (const [x, e] of TABLE) {
    it(`erf(${x}) = ${e} and erf(-${x}) = -${e} (A&S Table 7.1)`, () => {
      close(erf64(x), e, 1e-15, 'erf');
      close(erf64(-x), -e, 1e-15, 'erf(-x)');
    });
  }
  it('erfc from the continued fraction: 1 - erf(3) = 2.209049699858544e-5, 1 - erf(5) = 1.537459794428035e-12 (A&S 7.1)', () => {
    close((1 - erf64(3)) / 2.209049699858544e-5, 1, 1e-10, 'erfc(3)');
    close((1 - erf64(5)) / 1.537459794428035e-12, 1, 1e-3, 'erfc(5)');
  });
  it('is odd, 2x/sqrt(pi) near 0, and +-1 at +-infinity; NaN in, NaN out', () => {
    close(erf64(1e-12), (2e-12 / Math.sqrt(Math.PI)) * 1, 1e-15, 'small');
    assert.equal(erf64(Infinity), 1);
    assert.equal(erf64(-Infinity), -1);
    assert.ok(Number.isNaN(erf64(NaN)));
  });
});

describe('lgamma and polygamma against closed forms (A&S 6.1, 6.3, 6.4)', () => {
  const zeta3 = 1.2020569031595942;
  const cases: [string, number, number][] = [
    ['lgamma(1) = 0', logGamma64(1), 0],
    ['lgamma(2) = 0', logGamma64(2), 0],
    ['lgamma(1/2) = log(sqrt(pi))', logGamma64(0.5), 0.5 * Math.log(Math.PI)],
    ['lgamma(10) = log(9!)', logGamma64(10), Math.log(362880)],
    ['lgamma(-1/2) = log(2 sqrt(pi))', logGamma64(-0.5), Math.log(2 * Math.sqrt(Math.PI))],
    [
      'lgamma(30.5) = log(Gamma(30.5))',
      logGamma64(30.5),
      Math.log(Math.sqrt(Math.PI)) + Array.from({ length: 30 }, (_, k) => Math.log(k + 0.5)).reduce((a, b) => a + b, 0),
    ],
    ['digamma(1) = -gamma', polygamma64(0, 1), -0.5772156649015329],
    ['digamma(1/2) = -gamma - 2 log 2', polygamma64(0, 0.5), -0.5772156649015329 - 2 * Math.LN2],
    ['digamma(-1/2) = digamma(1/2) + 2', polygamma64(0, -0.5), -0.5772156649015329 - 2 * Math.LN2 + 2],
    ['trigamma(1) = pi^2 / 6', polygamma64(1, 1), Math.PI ** 2 / 6],
    ['trigamma(1/2) = pi^2 / 2', polygamma64(1, 0.5), Math.PI ** 2 / 2],
    ['polygamma(2, 1) = -2 zeta(3)', polygamma64(2, 1), -2 * zeta3],
    ['polygamma(3, 1) = pi^4 / 15', polygamma64(3, 1), Math.PI ** 4 / 15],
  ];
  for (const [what, got, expected] of cases) {
    it(what, () => assert.ok(Math.abs(got - expected) <= 1e-15 * Math.max(1, Math.abs(expected)), `${got} != ${expected}`));
  }
  it('poles: lgamma is +inf at 0 and -3, digamma -inf at 0 and NaN at -2, trigamma +inf at -1', () => {
    assert.equal(logGamma64(0), Infinity);
    assert.equal(logGamma64(-3), Infinity);
    assert.equal(polygamma64(0, 0), -Infinity);
    assert.ok(Number.isNaN(polygamma64(0, -2)));
    assert.equal(polygamma64(1, -1), Infinity);
  });
  it('TensorFlow.js (which has neither) computes them in float32 to 1e-5 of float64, or 1e-6 where they are near 0', async () => {
    const xs = [1e-6, 0.1, 0.5, 0.9, 1, 1.3, 2, 2.7, 5.5, 11, 40, 1e4, -0.5, -1.7, -3.25];
    for (const body of ['lgamma(z)', 'digamma(z)', 'polygamma(1, z)', 'polygamma(2, z)']) {
      const l = lowered(`f(z) = ${body}`);
      const program = lowerToProgram(l.graph, [l.value]);
      const exact = runReference(program, { rows: xs.length, values: { z: xs } })[0] as Float64Array;
      const [got] = await executor.compile(program)({ rows: xs.length, values: { z: xs } });
      xs.forEach((z, i) => {
        const e = exact[i] as number;
        const a = (got as Float32Array)[i] as number;
        assert.ok(Math.abs(a - e) <= 1e-5 * Math.abs(e) + 1e-6, `${body} at ${z}: ${a}, float64 ${e}`);
      });
    }
  });

  it("the derivative of lgamma is digamma, and digamma's is trigamma", () => {
    const r = derivatives('f(z) = lgamma(2 + z^2)', [0.5, 1.5]);
    [0.5, 1.5].forEach((z, i) => {
      close(r.d1[i] as number, 2 * z * polygamma64(0, 2 + z * z), 1e-13, "lgamma'");
      close(r.d2[i] as number, 2 * polygamma64(0, 2 + z * z) + 4 * z * z * polygamma64(1, 2 + z * z), 1e-13, "lgamma''");
    });
  });
});

describe('derivatives of the new primitives against their textbook rules', () => {
  const xs = [-0.9, -0.3, 0.2, 0.75];
  const cases: [string, (x: number) => number, (x: number) => number, (x: number) => number][] = [
    ['sinh(z)', Math.sinh, Math.cosh, Math.sinh],
    ['cosh(z)', Math.cosh, Math.sinh, Math.cosh],
    ['atan(z)', Math.atan, (x) => 1 / (1 + x * x), (x) => (-2 * x) / (1 + x * x) ** 2],
    ['asin(z)', Math.asin, (x) => 1 / Math.sqrt(1 - x * x), (x) => x / (1 - x * x) ** 1.5],
    ['acos(z)', Math.acos, (x) => -1 / Math.sqrt(1 - x * x), (x) => -x / (1 - x * x) ** 1.5],
    ['erf(z)', erf64, (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x), (x) => (-4 * x * Math.exp(-x * x)) / Math.sqrt(Math.PI)],
    // log-cosh (Chen et al. 2019): tanh and its derivative sech^2.
    ['log(cosh(z))', (x) => Math.log(Math.cosh(x)), Math.tanh, (x) => 1 / Math.cosh(x) ** 2],
  ];
  for (const [body, f, d1, d2] of cases) {
    it(`f(z) = ${body}`, () => {
      const r = derivatives(`@kind margin\nf(z) = ${body}`, xs);
      xs.forEach((x, i) => {
        close(r.value[i] as number, f(x), 1e-14, 'value');
        close(r.d1[i] as number, d1(x), 1e-13, "f'");
        close(r.d2[i] as number, d2(x), 1e-12, "f''");
      });
    });
  }

  it('atan2(y, x): d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2), in all four quadrants', () => {
    const l = lowered('@kind pairwise\nf(m1, m2) = atan2(m1, m2)');
    const [y, x] = l.inputs.map((i) => i.leaf) as [NodeId, NodeId];
    const grads = gradient(l.graph, l.value, [y, x]);
    const points: [number, number][] = [
      [1, 2],
      [1, -2],
      [-1, -2],
      [-1, 2],
    ];
    const out = runReference(lowerToProgram(l.graph, [l.value, ...grads]), { rows: 4, values: { m1: points.map((p) => p[0]), m2: points.map((p) => p[1]) } });
    points.forEach(([py, px], i) => {
      const r2 = px * px + py * py;
      close((out[0] as Float64Array)[i] as number, Math.atan2(py, px), 1e-15, 'value');
      close((out[1] as Float64Array)[i] as number, px / r2, 1e-15, 'd/dy');
      close((out[2] as Float64Array)[i] as number, -py / r2, 1e-15, 'd/dx');
    });
  });
});

describe('stop_gradient', () => {
  it('passes the value and stops the derivative: d/dz [z stop_gradient(z)] = z, not 2z', () => {
    const r = derivatives('f(z) = z * stop_gradient(z)', [-1.5, 0.5, 3]);
    assert.deepEqual(r.value, [2.25, 0.25, 9]);
    assert.deepEqual(r.d1, [-1.5, 0.5, 3]);
    // The first derivative is stop_gradient(z) itself, so the second is 0, as PyTorch's double backward of z * z.detach() gives.
    assert.deepEqual(r.d2, [0, 0, 0]);
  });

  it('typesets as sg[.], the notation of the VQ-VAE paper (van den Oord et al. 2017)', () => {
    const l = lowered('f(z) = z * stop_gradient(z)');
    assert.match(toLatex(l.graph, l.value), /\\operatorname\{sg\}\\left\[z\\right\]/);
  });

  it('the gradient check compares with finite differences that hold stop_gradient fixed, and passes', async () => {
    // A difference quotient of the loss itself would give 2z + ... and fail against the symbolic z + ...
    const l = lowered('f(z) = z * stop_gradient(z) + stop_gradient(sigmoid(z)) * softplus(-z)');
    const r = await gradientCheck.run({ loss: l, params: {}, executor });
    assert.equal(r.verdict, 'pass', r.summary);
    assert.ok((r.metrics.max_rel_error as number) < 1e-6);
  });
});
