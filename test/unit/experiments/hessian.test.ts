/**
 * Gradients and curvature of the empirical risk against direct computations: backpropagation
 * against finite differences of the risk; exact Hessian-vector products (Pearlmutter 1994)
 * against the closed-form Hessian of a linear softmax model, (1/n) Σ_i (diag p_i - p_i p_iᵀ) ⊗
 * x̃_i x̃_iᵀ (Bishop 2006, section 4.3.4), and against the Hessian of an MLP built column by
 * column from central differences of its exact gradient; PyHessian's estimators (power
 * iteration, Hutchinson) against the eigenvalues (Jacobi) and trace of those matrices.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLoss } from '../../../src/core/analyze';
import { seededRandom } from '../../../src/core/checks/random';
import { sampleDataset } from '../../../src/core/experiments/datasets';
import { hutchinsonTrace, topEigenvalues } from '../../../src/core/experiments/hessian';
import { hessianVectorProduct } from '../../../src/core/experiments/hessianVector';
import { initialParameters, modelShape } from '../../../src/core/experiments/model';
import { compileObjective } from '../../../src/core/experiments/objective';
import { float64Engine } from '../../../src/core/experiments/programEngine';
import { EmpiricalRisk } from '../../../src/core/experiments/risk';
import type { Activation } from '../../../src/core/experiments/setup';
import { symmetricEigenvalues } from './symmetricEigen';

function riskFor(lossText: string, hidden: readonly number[], activation: Activation, classes: number, seed = 1): { risk: EmpiricalRisk; theta: Float64Array } {
  const found = findLoss(lossText);
  if (!found.ok) throw new Error(JSON.stringify(found.diagnostics));
  const params = Object.fromEntries(found.loss.params.map((p) => [p.decl.name, p.decl.value]));
  const objective = compileObjective(float64Engine, found.loss, params);
  const data = sampleDataset('blobs', new Array<number>(classes).fill(15), 2, seededRandom(seed));
  const shape = modelShape(2, hidden, objective.outputs, activation);
  const random = seededRandom(seed + 100);
  const theta = initialParameters(shape, random);
  // Non-zero biases, so that every parameter matters.
  for (let i = 0; i < theta.length; i++) theta[i] = (theta[i] as number) + 0.3 * (random() - 0.5);
  return { risk: new EmpiricalRisk(shape, objective, data.x, data.rows, data.labels), theta };
}

const basis = (size: number, i: number): Float64Array => Float64Array.from({ length: size }, (_, k) => (k === i ? 1 : 0));

/** The Hessian, column i = (∇L(θ + h e_i) - ∇L(θ - h e_i)) / 2h, symmetrised. */
async function finiteDifferenceHessian(risk: EmpiricalRisk, theta: Float64Array, h = 1e-5): Promise<number[][]> {
  const n = theta.length;
  const columns: Float64Array[] = [];
  const plus = new Float64Array(n);
  const minus = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    await risk.valueAndGradient(
      Float64Array.from(theta, (t, k) => (k === i ? t + h : t)),
      plus,
    );
    await risk.valueAndGradient(
      Float64Array.from(theta, (t, k) => (k === i ? t - h : t)),
      minus,
    );
    columns.push(Float64Array.from(plus, (p, k) => (p - (minus[k] as number)) / (2 * h)));
  }
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => ((columns[c]?.[r] as number) + (columns[r]?.[c] as number)) / 2));
}

const byMagnitude = (values: readonly number[]): number[] => [...values].sort((a, b) => Math.abs(b) - Math.abs(a));
const trace = (m: readonly (readonly number[])[]): number => m.reduce((s, row, i) => s + (row[i] as number), 0);
/** Var(vᵀ H v) for Rademacher v: 2 Σ_{i ≠ j} H_ij². */
const hutchinsonVariance = (m: readonly (readonly number[])[]): number =>
  2 * m.reduce((s, row, i) => s + row.reduce((t, x, j) => t + (i === j ? 0 : x * x), 0), 0);

const LOSSES: readonly { readonly text: string; readonly classes: number; readonly label: string }[] = [
  { text: '@classes 3\nfocal(s, y) = -(1 - softmax(s)[y])^2 * (s[y] - logsumexp(s))', classes: 3, label: 'multiclass focal' },
  { text: 'logistic(z) = softplus(-z)', classes: 2, label: 'margin logistic' },
  { text: 'bce(p, y) = -(y * log(p) + (1 - y) * log(1 - p))', classes: 2, label: 'probability l(p, y)' },
  { text: '@kind probability\nfocal(p) = -(1 - p)^2 * log(p)', classes: 2, label: 'probability l(p)' },
];

describe("backpropagation through the model of LossLab's loss gradient", () => {
  for (const loss of LOSSES) {
    for (const activation of ['tanh', 'relu'] as const) {
      it(`matches central differences of the risk: ${loss.label}, ${activation} MLP`, async () => {
        const { risk, theta } = riskFor(loss.text, [5, 4], activation, loss.classes);
        const grad = new Float64Array(theta.length);
        await risk.valueAndGradient(theta, grad);
        const h = 1e-6;
        for (let i = 0; i < theta.length; i++) {
          const up = await risk.value(Float64Array.from(theta, (t, k) => (k === i ? t + h : t)));
          const down = await risk.value(Float64Array.from(theta, (t, k) => (k === i ? t - h : t)));
          const fd = (up - down) / (2 * h);
          // Truncation O(h²) and rounding O(ε L / h) are both below 1e-8 here.
          assert.ok(Math.abs(fd - (grad[i] as number)) < 1e-8 * Math.max(1, Math.abs(fd)), `parameter ${i}: backprop ${grad[i]}, differences ${fd}`);
        }
      });
    }
  }
});

describe('exact Hessian-vector products and the Hessian spectrum', () => {
  it('reproduce the closed-form Hessian of a linear softmax model with cross-entropy', async () => {
    const K = 3;
    const d = 2;
    const { risk, theta } = riskFor('@classes 3\nce(s, y) = logsumexp(s) - s[y]', [], 'relu', K);
    const n = risk.rows;
    // Parameter index -> (class j, feature a), with feature d the constant 1 of the bias.
    const coordinate = (idx: number): [number, number] => (idx < K * d ? [Math.floor(idx / d), idx % d] : [idx - K * d, d]);
    const feature = (i: number, a: number): number => (a === d ? 1 : (risk.x[i * d + a] as number));
    const logits = Array.from({ length: n }, (_, i) =>
      Array.from(
        { length: K },
        (_, j) => (theta[K * d + j] as number) + (theta[j * d] as number) * feature(i, 0) + (theta[j * d + 1] as number) * feature(i, 1),
      ),
    );
    const probabilities = logits.map((s) => {
      const m = Math.max(...s);
      const e = s.map((x) => Math.exp(x - m));
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((x) => x / z);
    });
    const size = theta.length;
    const exact = Array.from({ length: size }, (_, r) =>
      Array.from({ length: size }, (_, c) => {
        const [j, a] = coordinate(r);
        const [k, b] = coordinate(c);
        let s = 0;
        for (let i = 0; i < n; i++) {
          const p = probabilities[i] as number[];
          s += ((j === k ? (p[j] as number) : 0) - (p[j] as number) * (p[k] as number)) * feature(i, a) * feature(i, b);
        }
        return s / n;
      }),
    );
    for (let c = 0; c < size; c++) {
      const column = await hessianVectorProduct(risk, theta, basis(size, c));
      for (let r = 0; r < size; r++)
        assert.ok(Math.abs((column[r] as number) - (exact[r]?.[c] as number)) < 1e-13, `H[${r}][${c}]: ${column[r]} vs ${exact[r]?.[c]}`);
    }

    const hvp = (v: Float64Array) => hessianVectorProduct(risk, theta, v);
    const reference = byMagnitude(symmetricEigenvalues(exact));
    const top = await topEigenvalues(hvp, size, seededRandom(7), { top: 3, maxIterations: 5000, tolerance: 1e-12 });
    assert.ok(top);
    top.eigenvalues.forEach((lambda, k) => {
      assert.ok(Math.abs(lambda - (reference[k] as number)) < 1e-6 * Math.abs(reference[0] as number), `eigenvalue ${k}: ${lambda} vs ${reference[k]}`);
    });

    // Hutchinson is unbiased; over M samples its error is within 4 standard deviations, with the
    // exact variance 2 Σ_{i≠j} H_ij² / M, except with probability below 1e-4 (Chebyshev: 1/16).
    const samples = 4000;
    const estimate = await hutchinsonTrace(hvp, size, seededRandom(11), { maxIterations: samples, minSamples: samples, tolerance: 0 });
    assert.ok(estimate);
    assert.equal(estimate.samples, samples);
    const sd = Math.sqrt(hutchinsonVariance(exact) / samples);
    assert.ok(Math.abs(estimate.trace - trace(exact)) < 4 * sd, `trace ${estimate.trace} vs ${trace(exact)} (sd ${sd})`);
  });

  for (const loss of LOSSES.slice(0, 2)) {
    it(`match the Hessian of a tanh MLP from differences of its gradient: ${loss.label}`, async () => {
      const { risk, theta } = riskFor(loss.text, [4, 3], 'tanh', loss.classes);
      const direct = await finiteDifferenceHessian(risk, theta);
      const scale = Math.max(...direct.flat().map(Math.abs));
      for (let c = 0; c < theta.length; c++) {
        const column = await hessianVectorProduct(risk, theta, basis(theta.length, c));
        for (let r = 0; r < theta.length; r++) {
          assert.ok(Math.abs((column[r] as number) - (direct[r]?.[c] as number)) < 1e-7 * scale, `H[${r}][${c}]: ${column[r]} vs ${direct[r]?.[c]}`);
        }
      }
      const reference = byMagnitude(symmetricEigenvalues(direct));
      const top = await topEigenvalues((v) => hessianVectorProduct(risk, theta, v), theta.length, seededRandom(3), {
        top: 2,
        maxIterations: 20_000,
        tolerance: 1e-13,
      });
      assert.ok(top);
      top.eigenvalues.forEach((lambda, k) => {
        assert.ok(Math.abs(lambda - (reference[k] as number)) < 1e-5 * Math.abs(reference[0] as number), `eigenvalue ${k}: ${lambda} vs ${reference[k]}`);
      });
    });
  }
});
