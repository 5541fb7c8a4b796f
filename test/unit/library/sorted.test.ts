/**
 * The library losses that sort or take running sums, at sizes other than the default K = 3:
 * 1-D Wasserstein for any K against sum_k |F_p(k) - F_q(k)| (Villani 2009), the top-k SVM for
 * every k against the mean of the k largest (Lapin et al. 2015), and Lovasz-Softmax against the
 * paper's Algorithm 1 written out here, and against the Jaccard loss itself on hard masks, where
 * the Lovasz extension equals the set function it extends (Berman et al. 2018, and Lovasz 1983).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLoss } from '../../../src/core/analyze';
import { runReference } from '../../../src/core/engine/reference';
import { lowerToProgram } from '../../../src/core/ir/program';
import { seededRandom } from '../../../src/core/checks/random';
import { assertClose, sum } from './reference';

/** The value of library loss `name` used with K classes and `with` params, at one point. */
function valueAt(name: string, K: number, at: Readonly<Record<string, number | readonly number[]>>, withParams = ''): number {
  const found = findLoss(`@classes ${K}\nuse ${name} from "library"${withParams ? ` with ${withParams}` : ''}\n`, name);
  if (!found.ok) throw new Error(JSON.stringify(found.diagnostics));
  const l = found.loss;
  const params = Object.fromEntries(l.params.map((p) => [p.decl.name, p.decl.value]));
  return (runReference(lowerToProgram(l.graph, [l.value]), { rows: 1, values: { ...params, ...at } })[0] as Float64Array)[0] as number;
}

const random = seededRandom(16);
const simplex = (K: number): number[] => {
  const w = Array.from({ length: K }, () => -Math.log(random()));
  return w.map((x) => x / sum(w));
};

describe('wasserstein_1d for any K', () => {
  for (const K of [2, 3, 5, 8]) {
    it(`K = ${K}: sum over k < K of |F_p(k) - F_q(k)|`, () => {
      const [p, q] = [simplex(K), simplex(K)];
      let [fp, fq, expected] = [0, 0, 0];
      for (let k = 0; k < K - 1; k++) {
        fp += p[k] as number;
        fq += q[k] as number;
        expected += Math.abs(fp - fq);
      }
      assertClose(valueAt('wasserstein_1d', K, { p, q }), expected, 1e-14);
    });
  }
  it('moving all mass from class 1 to class K costs K - 1', () => {
    const K = 6;
    const e = (i: number) => Array.from({ length: K }, (_, k) => (k === i ? 1 : 0));
    assert.equal(valueAt('wasserstein_1d', K, { p: e(0), q: e(K - 1) }), K - 1);
  });
});

describe('top_k_svm for every k', () => {
  const K = 5;
  const s = [0.3, 1.1, -0.7, 0.9, 0.2];
  const y = 2;
  for (let k = 1; k <= K; k++) {
    it(`k = ${k}: max(0, mean of the ${k} largest of 1 - e_y + s - s_y)`, () => {
      const a = s.map((x, i) => (i === y - 1 ? 0 : 1) + x - (s[y - 1] as number));
      const top = [...a].sort((u, v) => v - u).slice(0, k);
      assertClose(valueAt('top_k_svm', K, { s, y }, `top_k = ${k}`), Math.max(0, sum(top) / k), 1e-14);
    });
  }
  it('k = 1 is the Crammer-Singer hinge', () => {
    assertClose(valueAt('top_k_svm', K, { s, y }, 'top_k = 1'), valueAt('crammer_singer', K, { s, y }), 1e-14);
  });
});

/** Algorithm 1 of Berman et al. for one class, as the paper writes it: sort, then Jaccard steps. */
function lovaszAlgorithm1(p: readonly number[], g: readonly number[]): number {
  const errors = p.map((x, i) => Math.abs((g[i] as number) - x));
  const order = errors.map((_, i) => i).sort((a, b) => (errors[b] as number) - (errors[a] as number));
  const gts = sum(g);
  let previous = 0;
  let loss = 0;
  let inPrefix = 0;
  let outOfPrefix = 0;
  order.forEach((i) => {
    inPrefix += g[i] as number;
    outOfPrefix += 1 - (g[i] as number);
    const jaccard = 1 - (gts - inPrefix) / (gts + outOfPrefix);
    loss += (errors[i] as number) * (jaccard - previous);
    previous = jaccard;
  });
  return loss;
}

describe('lovasz_softmax', () => {
  for (const K of [3, 6, 10]) {
    it(`K = ${K} pixels: Algorithm 1 on random soft predictions and a binary mask`, () => {
      for (let t = 0; t < 5; t++) {
        const p = Array.from({ length: K }, () => random());
        const g = Array.from({ length: K }, (_, k) => (k === 0 || random() < 0.4 ? 1 : 0));
        assertClose(valueAt('lovasz_softmax', K, { p, q: g }), lovaszAlgorithm1(p, g), 1e-14);
      }
    });
  }
  it('on a hard prediction it is the Jaccard loss 1 - |P & G| / |P | G| (the Lovasz extension agrees on vertices)', () => {
    const p = [1, 0, 1, 1, 0, 0, 1];
    const g = [1, 1, 0, 1, 0, 0, 1];
    const inter = sum(p.map((x, i) => x * (g[i] as number)));
    const union = sum(p.map((x, i) => Math.max(x, g[i] as number)));
    assertClose(valueAt('lovasz_softmax', p.length, { p, q: g }), 1 - inter / union, 1e-14);
  });
});
