/**
 * LossLab's own derivatives against closed forms, evaluated by the float64 reference. Each
 * expected value is the textbook derivative written out by hand, not what the code printed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runReference } from '../../../src/core/engine/reference';
import { gradient, secondDerivative } from '../../../src/core/ir/autodiff';
import type { NodeId } from '../../../src/core/ir/graph';
import { lowerToProgram } from '../../../src/core/ir/program';
import { lowered } from '../lowered';
import { SCALAR } from '../../../src/core/ir/shape';

const loss = lowered;

/** Value, first and second derivative of a one-input loss at the given points, in float64. */
function derivatives(text: string, xs: number[], params: Record<string, number> = {}): { value: number[]; d1: number[]; d2: number[] } {
  const l = loss(text);
  const leaf = (l.inputs[0] as { leaf: NodeId }).leaf;
  const [d1] = gradient(l.graph, l.value, [leaf]);
  const d2 = secondDerivative(l.graph, l.value, leaf);
  const defaults = Object.fromEntries(l.params.map((p) => [p.decl.name, p.decl.value]));
  const out = runReference(lowerToProgram(l.graph, [l.value, d1 as NodeId, d2]), {
    rows: xs.length,
    values: { ...defaults, ...params, [(l.inputs[0] as { spec: { name: string } }).spec.name]: xs },
  });
  // -0 and 0 are the same derivative; compare them as equal.
  const plain = (a: Float64Array) => Array.from(a, (x) => (x === 0 ? 0 : x));
  return { value: plain(out[0] as Float64Array), d1: plain(out[1] as Float64Array), d2: plain(out[2] as Float64Array) };
}

function close(actual: number, expected: number, rel = 1e-12, label = ''): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${label} ${actual} != ${expected}`);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('symbolic derivatives against closed forms', () => {
  it("focal loss: l = -a (1-p)^g log p, l' = a g (1-p)^(g-1) log p - a (1-p)^g / p (Lin et al. 2017)", () => {
    const a = 0.25;
    const g = 2;
    const ps = [0.05, 0.3, 0.5, 0.9];
    const r = derivatives('param gamma = 2 in [0, 5]\nparam alpha = 0.25 in [0, 1]\nfocal(p) = -alpha * (1 - p)^gamma * log(p)', ps);
    ps.forEach((p, i) => {
      close(r.value[i] as number, -a * (1 - p) ** g * Math.log(p), 1e-14, 'value');
      close(r.d1[i] as number, a * g * (1 - p) ** (g - 1) * Math.log(p) - (a * (1 - p) ** g) / p, 1e-13, 'd1');
      // l'' = -a [g (g-1) (1-p)^(g-2) log p - 2 g (1-p)^(g-1) / p - (1-p)^g / p^2]
      close(r.d2[i] as number, -a * (g * (g - 1) * (1 - p) ** (g - 2) * Math.log(p) - (2 * g * (1 - p) ** (g - 1)) / p - (1 - p) ** g / p ** 2), 1e-12, 'd2');
    });
  });

  it("logistic: softplus(-z)' = -sigmoid(-z), '' = sigmoid(z) sigmoid(-z)", () => {
    const zs = [-30, -2, 0, 1.5, 40];
    const r = derivatives('lg(z) = softplus(-z)', zs);
    zs.forEach((z, i) => {
      close(r.value[i] as number, Math.log1p(Math.exp(-z)), 1e-14);
      close(r.d1[i] as number, -sigmoid(-z), 1e-14);
      close(r.d2[i] as number, sigmoid(z) * sigmoid(-z), 1e-14);
    });
  });

  it('sigmoid loss 1 - tanh(z): derivative -(1 - tanh^2 z), second 2 tanh z (1 - tanh^2 z)', () => {
    const zs = [-1, 0, 0.5, 3];
    const r = derivatives('sg(z) = 1 - tanh(z)', zs);
    zs.forEach((z, i) => {
      const t = Math.tanh(z);
      close(r.d1[i] as number, -(1 - t * t));
      close(r.d2[i] as number, 2 * t * (1 - t * t));
    });
  });

  it('log1p, expm1, sqrt, pow with a variable exponent', () => {
    const xs = [0.2, 1, 3];
    const a = derivatives('f(r) = log1p(r^2)', xs);
    xs.forEach((x, i) => close(a.d1[i] as number, (2 * x) / (1 + x * x)));
    const b = derivatives('f(r) = expm1(r) + sqrt(r)', xs);
    xs.forEach((x, i) => close(b.d1[i] as number, Math.exp(x) + 0.5 / Math.sqrt(x)));
    const c = derivatives('f(r) = r^r', xs);
    xs.forEach((x, i) => close(c.d1[i] as number, x ** x * (Math.log(x) + 1)));
  });

  it("states its conventions at kinks: relu'(0) = 0, abs'(0) = 0, max splits ties evenly, clip passes on [lo, hi]", () => {
    assert.deepEqual(derivatives('f(z) = relu(z)', [-1, 0, 1]).d1, [0, 0, 1]);
    assert.deepEqual(derivatives('f(z) = abs(z)', [-1, 0, 1]).d1, [-1, 0, 1]);
    assert.deepEqual(derivatives('f(z) = max(0, 1 - z)', [0, 1, 2]).d1, [-1, -0.5, 0]);
    assert.deepEqual(derivatives('f(z) = clip(z, -1, 1)', [-2, -1, 0, 1, 2]).d1, [0, 1, 1, 1, 0]);
    assert.deepEqual(derivatives('f(z) = z > 0 ? z^2 : -z', [-2, 2]).d1, [-1, 4]);
  });

  it('Huber: derivative r inside [-delta, delta], delta sign(r) outside (Huber 1964)', () => {
    const r = derivatives('param delta = 1 in [0.1, 5]\nhuber(r) = abs(r) <= delta ? 0.5 * r^2 : delta * (abs(r) - 0.5 * delta)', [-3, -0.5, 0.25, 2], {
      delta: 1.5,
    });
    assert.deepEqual(r.d1, [-1.5, -0.5, 0.25, 1.5]);
  });

  it('cross-entropy: the gradient of logsumexp(s) - s[y] is softmax(s) - e_y', () => {
    const l = loss('ce(s, y) = logsumexp(s) - s[y]');
    const [s] = l.inputs;
    const [grad] = gradient(l.graph, l.value, [(s as { leaf: NodeId }).leaf]);
    const logits = [1, -2, 0.5, 3, 0, -1];
    const out = runReference(lowerToProgram(l.graph, [l.value, grad as NodeId]), { rows: 2, values: { s: logits, y: [2, 3] } });
    [0, 1].forEach((row) => {
      const v = logits.slice(3 * row, 3 * row + 3);
      const y = row === 0 ? 2 : 3;
      const z = v.reduce((acc, x) => acc + Math.exp(x), 0);
      close((out[0] as Float64Array)[row] as number, Math.log(z) - (v[y - 1] as number));
      v.forEach((x, k) => close((out[1] as Float64Array)[3 * row + k] as number, Math.exp(x) / z - (k === y - 1 ? 1 : 0)));
    });
  });

  it('KL divergence: dD/dp_k = log(p_k / q_k) + 1', () => {
    const l = loss('kl(p, q) = sum(p .* log(p ./ q))');
    const [p] = l.inputs;
    const [grad] = gradient(l.graph, l.value, [(p as { leaf: NodeId }).leaf]);
    const P = [0.2, 0.3, 0.5];
    const Q = [0.4, 0.4, 0.2];
    const out = runReference(lowerToProgram(l.graph, [grad as NodeId]), { rows: 1, values: { p: P, q: Q } });
    P.forEach((pk, k) => close((out[0] as Float64Array)[k] as number, Math.log(pk / (Q[k] as number)) + 1));
  });

  it('the Hessian of logsumexp along a direction is the variance of the direction under softmax', () => {
    // d²/dt² logsumexp(s + t v) at t = 0 = sum p v² - (sum p v)², p = softmax(s).
    const l = loss('f(s, y) = logsumexp(s)');
    const g = l.graph;
    const t = g.leaf('t', 'input', SCALAR);
    const s = (l.inputs[0] as { leaf: NodeId }).leaf;
    const v = [1, -2, 0.5];
    const dir = v.reduce<NodeId>((acc, x, k) => g.apply('add', acc, g.apply('mul', g.constant(x), g.apply('onehot', g.constant(k + 1)))), g.constant(0));
    const { substitute } = require('../../../src/core/ir/substitute') as typeof import('../../../src/core/ir/substitute');
    const along = substitute(g, l.value, new Map([[s, g.apply('add', s, g.apply('mul', t, dir))]]));
    const d2 = secondDerivative(g, along, t);
    const S = [0.3, -1, 2];
    const out = runReference(lowerToProgram(g, [d2]), { rows: 1, values: { s: S, t: 0 } });
    const e = S.map(Math.exp);
    const z = e.reduce((a, b) => a + b, 0);
    const p = e.map((x) => x / z);
    const mean = p.reduce((a, pk, k) => a + pk * (v[k] as number), 0);
    const second = p.reduce((a, pk, k) => a + pk * (v[k] as number) ** 2, 0);
    close((out[0] as Float64Array)[0] as number, second - mean * mean, 1e-12);
  });
});

describe('onehot', () => {
  it('writes the Crammer–Singer hinge max(0, 1 + max_{k != y} s_k - s_y) (Crammer & Singer 2001) with its subgradient', () => {
    const l = loss('@classes 3\ncs(s, y) = max(0, 1 + max(s - 1e30 * onehot(y)) - s[y])');
    const [grad] = gradient(l.graph, l.value, [(l.inputs[0] as { leaf: NodeId }).leaf]);
    const out = runReference(lowerToProgram(l.graph, [l.value, grad as NodeId]), { rows: 1, values: { s: [1, 2, 0], y: 1 } });
    assert.equal((out[0] as Float64Array)[0], 2);
    assert.deepEqual(Array.from(out[1] as Float64Array), [-1, 1, 0]);
  });
});
