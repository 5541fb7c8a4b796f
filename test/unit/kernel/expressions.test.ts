/**
 * Differential test on random expressions: 2,000 expressions in z (fast-check, fixed seed) over
 * every op the kernels compile (element-wise functions, powers, comparisons and conditionals,
 * clip, and row ops on K = 3 vectors built from z), their first and second derivatives in z,
 * through the fused kernels, TensorFlow.js (wasm) and the float64 reference, at typical and
 * extreme z, agree to the tolerance of agreement.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startBackend } from '../../../src/core/engine/backend';
import type { Executor } from '../../../src/core/engine/executor';
import { createFusedExecutor, type FusedExecutor } from '../../../src/core/engine/fused';
import { runReference } from '../../../src/core/engine/reference';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { gradient, secondDerivative } from '../../../src/core/ir/autodiff';
import { Graph, type NodeId } from '../../../src/core/ir/graph';
import type { OpName } from '../../../src/core/ir/ops';
import { lowerToProgram } from '../../../src/core/ir/program';
import { compareColumns } from './agreement';
import { perturbedReference } from './perturbed';
import { SCALAR } from '../../../src/core/ir/shape';

type Term = { readonly leaf: 'z' | 'a' } | { readonly constant: number } | { readonly op: OpName; readonly args: readonly Term[] };

const UNARY: readonly OpName[] = [
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'tanh',
  'sigmoid',
  'softplus',
  'abs',
  'neg',
  'relu',
  'sign',
  'sinh',
  'cosh',
  'asin',
  'acos',
  'atan',
  'erf',
  'stop_gradient',
];
const BINARY: readonly OpName[] = ['add', 'sub', 'mul', 'div', 'max2', 'min2', 'atan2'];
const COMPARISONS: readonly OpName[] = ['lt', 'le', 'gt', 'ge', 'eq', 'ne'];
const ROW_OPS: readonly OpName[] = ['logsumexp', 'vmax', 'vmin', 'sum'];
const K = 3;

const { term } = fc.letrec<{ term: Term; leaf: Term }>((tie) => ({
  leaf: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Term>({ leaf: 'z' }) },
    { weight: 1, arbitrary: fc.constant<Term>({ leaf: 'a' }) },
    { weight: 2, arbitrary: fc.integer({ min: -20, max: 20 }).map((n): Term => ({ constant: n / 4 })) },
  ),
  term: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.tuple(fc.constantFrom(...UNARY), tie('term')).map(([op, a]): Term => ({ op, args: [a] })),
    fc.tuple(fc.constantFrom(...BINARY), tie('term'), tie('term')).map(([op, a, b]): Term => ({ op, args: [a, b] })),
    fc
      .tuple(tie('term'), fc.constantFrom<Term>({ constant: 2 }, { constant: 3 }, { constant: -1 }, { constant: 0.5 }, { constant: 1.5 }, { leaf: 'a' }))
      .map(([a, b]): Term => ({ op: 'pow', args: [a, b] })),
    fc
      .tuple(fc.constantFrom(...COMPARISONS), tie('term'), tie('term'), tie('term'), tie('term'))
      .map(([cmp, x, y, a, b]): Term => ({ op: 'where', args: [{ op: cmp, args: [x, y] }, a, b] })),
    fc
      .tuple(tie('term'), fc.integer({ min: -8, max: 0 }), fc.integer({ min: 0, max: 8 }))
      .map(([x, lo, hi]): Term => ({ op: 'clip', args: [x, { constant: lo / 4 }, { constant: hi / 4 }] })),
    fc.tuple(fc.constantFrom(...ROW_OPS), tie('term'), tie('term'), fc.integer({ min: 1, max: K })).map(([op, x, y, k]): Term => ({
      op,
      // x in class k, y in every class: a row of K logits that depends on z.
      args: [
        {
          op: 'add',
          args: [
            { op: 'mul', args: [x, { op: 'onehot', args: [{ constant: k }] }] },
            { op: 'expand', args: [y] },
          ],
        },
      ],
    })),
  ),
}));

function build(g: Graph, t: Term): NodeId {
  if ('leaf' in t) return g.leaf(t.leaf, t.leaf === 'z' ? 'input' : 'param', SCALAR);
  if ('constant' in t) return g.constant(t.constant);
  return g.apply(t.op, ...t.args.map((a) => build(g, a)));
}

function print(t: Term): string {
  if ('leaf' in t) return t.leaf;
  if ('constant' in t) return String(t.constant);
  return `${t.op}(${t.args.map(print).join(', ')})`;
}

const EXPRESSIONS = fc.sample(term, { seed: 20240808, numRuns: 2000 });
/** Expressions per program: each batch is one kernel with 3 outputs per expression. */
const BATCH = 25;
const Z = [
  -3, -1.7, -0.6, -0.25, 0, 0.3, 0.9, 1.4, 2.2, 3, 1e-30, -1e-30, 1e-8, -1e-8, 10, -10, 50, -50, 88, -88, 100, -100, 1e4, -1e4, 1e10, -1e10, 1e30, -1e30,
].map(Math.fround);
const A = 1.5;

let tfjs: Executor;
let fused: FusedExecutor;
before(async () => {
  const s = await startBackend('wasm');
  tfjs = tensorExecutor(s.tf, s.backend);
  fused = await createFusedExecutor(tfjs, { threads: 1 });
});
after(() => fused.dispose());

describe('fused kernels against tfjs and float64 on random expressions', () => {
  it(`${EXPRESSIONS.length} expressions: value, d/dz and d²/dz² agree at ${Z.length} points`, async (t) => {
    let compared = 0;
    let byYardstick = 0;
    const failures: string[] = [];
    for (let start = 0; start < EXPRESSIONS.length; start += BATCH) {
      const batch = EXPRESSIONS.slice(start, start + BATCH);
      const g = new Graph(K);
      const z = g.leaf('z', 'input', SCALAR);
      const outputs = batch.flatMap((e) => {
        const f = build(g, e);
        return [f, gradient(g, f, [z])[0] as NodeId, secondDerivative(g, f, z)];
      });
      const program = lowerToProgram(g, outputs);
      const compiled = fused.compile(program);
      assert.equal(compiled.engine, 'fused-wasm', compiled.fallbackReason);
      const bindings = { rows: Z.length, values: { z: Z, a: A } };
      const reference = runReference(program, bindings);
      const [ours, theirs] = [await compiled(bindings), await tfjs.compile(program)(bindings)];
      const monteCarlo = [1, 2, 3].map((seed) => perturbedReference(program, bindings, seed));
      reference.forEach((ref, o) => {
        const a = compareColumns(ours[o] as Float32Array, ref, [theirs[o] as Float32Array, ...monteCarlo.map((m) => m[o] as Float64Array)]);
        compared += a.compared;
        byYardstick += a.byYardstick;
        for (const d of a.disagreements.slice(0, 1)) {
          const what = ['value', 'd/dz', 'd²/dz²'][o % 3];
          failures.push(`${what} of ${print(batch[Math.floor(o / 3)] as Term)} at z = ${Z[d.index]}: fused ${d.fused}, float64 ${d.reference}, tfjs ${d.tfjs}`);
        }
      });
    }
    t.diagnostic(`${compared} entries compared; ${byYardstick} within float32's expected error only`);
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} disagreements`);
  });
});
