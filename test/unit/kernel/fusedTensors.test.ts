/**
 * The fused engine on batch losses (kernel/tensorPlan.ts, engine/fusedTensor.ts, kernel/gemm.ts):
 * every loss of the tensor fixture, value and gradients, against the float64 reference, with no
 * fallback to hide behind (a step that cannot run fails the test); the product kernel against a
 * float64 product on shapes that are not whole blocks; and the plan's shape for InfoNCE.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { typicalSample } from '../../../src/core/checks/sampling';
import { createFusedExecutor, type FusedExecutor } from '../../../src/core/engine/fused';
import { runReference } from '../../../src/core/engine/reference';
import { gradient } from '../../../src/core/ir/autodiff';
import type { LeafValue } from '../../../src/core/ir/bindings';
import { lowerToProgram, type Program } from '../../../src/core/ir/program';
import { GemmRunner } from '../../../src/core/kernel/gemm';
import { KernelMemory } from '../../../src/core/kernel/kernelMemory';
import { KernelPool } from '../../../src/core/kernel/kernelPool';
import { planTensorSteps } from '../../../src/core/kernel/tensorPlan';
import { isDifferentiableRole } from '../../../src/core/lang/kinds';
import { parseLossText } from '../../../src/core/lang/parse';
import type { LoweredLoss } from '../../../src/core/lang/lower';
import { findLoss } from '../../../src/core/analyze';
import { unusedFallback } from './unusedFallback';
import { LIBRARY_FILES, libraryLoss } from '../library/reference';

const FIXTURE = readFileSync(join(__dirname, '..', '..', 'fixtures', 'torch-losses.loss'), 'utf8');

/** Float32 against float64: each output within 1e-4 of its largest entry (sums of a few hundred terms round to about 1e-5 of it). */
const RELATIVE = 1e-4;

/**
 * The fixture's sizes (B = 6) put most values under FUSED_ENTRIES, where the op's own rule runs;
 * these put the similarity matrices, masks and boxes above it, so the kernels run them.
 */
const LARGER = { B: 21, D: 9, T: 7, H: 5, W: 13, P: 11, L: 9 };
/** Last axes that are whole v128s, where kernels read [R, 1] and [C] operands in place instead of broadcasting them first. */
const ALIGNED = { B: 24, D: 12, T: 8, H: 4, W: 16, P: 12, L: 8 };

function loweredAt(name: string, sizes: Readonly<Record<string, number>>): LoweredLoss {
  const found = findLoss(FIXTURE, name, { sizes });
  if (!found.ok) throw new Error(`${name}: ${found.diagnostics.map((d) => d.message).join('; ')}`);
  return found.loss;
}

function valueAndGradients(loss: LoweredLoss): Program {
  const moving = loss.inputs.filter((i) => isDifferentiableRole(i.spec.role)).map((i) => i.leaf);
  return lowerToProgram(loss.graph, [loss.value, ...gradient(loss.graph, loss.value, moving)]);
}

function bindingsOf(loss: LoweredLoss, seed: number): Record<string, LeafValue> {
  const sample = typicalSample(loss, 1, seed);
  const params = Object.fromEntries(loss.params.map((p) => [p.decl.name, p.decl.value]));
  return { ...sample.values, ...params };
}

function assertClose(got: Float32Array, want: Float64Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} entries, expected ${want.length}`);
  let scale = 0;
  for (const w of want) if (Number.isFinite(w)) scale = Math.max(scale, Math.abs(w));
  for (let j = 0; j < want.length; j++) {
    const w = want[j] as number;
    const g = got[j] as number;
    if (!Number.isFinite(w)) assert.ok(!Number.isFinite(g) || Math.abs(w) > 3.4e38, `${what}[${j}]: ${g}, the reference ${w}`);
    else assert.ok(Math.abs(g - w) <= RELATIVE * scale + 1e-30, `${what}[${j}]: ${g}, the reference ${w} (scale ${scale})`);
  }
}

function fixtureLosses(): string[] {
  return parseLossText(FIXTURE)
    .definitions.filter((d) => !d.helper)
    .map((d) => d.name);
}

/** The library's batch losses, at their declared sizes. */
function libraryBatchLosses(): string[] {
  return [...LIBRARY_FILES.values()].flatMap((text) =>
    parseLossText(text)
      .definitions.filter((d) => !d.helper && libraryLoss(d.name).info.kind === 'batch')
      .map((d) => d.name),
  );
}

describe('fused kernels on batch losses', () => {
  let single: FusedExecutor;
  let threaded: FusedExecutor;
  before(async () => {
    single = await createFusedExecutor(unusedFallback, { threads: 1 });
    threaded = await createFusedExecutor(unusedFallback, { threads: 2 });
  });
  after(async () => {
    await single.dispose();
    await threaded.dispose();
  });

  for (const name of libraryBatchLosses()) {
    it(`library ${name}: value and gradients match the float64 reference`, async () => {
      const loss = libraryLoss(name);
      const program = valueAndGradients(loss);
      const values = bindingsOf(loss, 4);
      const want = runReference(program, { rows: 1, values });
      const got = await threaded.compile(program)({ rows: 1, values });
      want.forEach((w, o) => assertClose(got[o] as Float32Array, w, `${name} output ${o}`));
    });
  }

  // Similarity matrices of 96 × 96: their reductions along the last axis run on the row kernel.
  for (const name of ['infonce', 'clip_contrastive', 'supcon', 'ntxent'])
    it(`${name} at B = 96: the row reductions' kernel matches the float64 reference`, async () => {
      const loss = loweredAt(name, { B: 96, D: 16 });
      const program = valueAndGradients(loss);
      const values = bindingsOf(loss, 5);
      const want = runReference(program, { rows: 1, values });
      const got = await threaded.compile(program)({ rows: 1, values });
      want.forEach((w, o) => assertClose(got[o] as Float32Array, w, `${name} output ${o}`));
    });

  it('a max along the last axis is NaN where a row has a NaN, as Math.max is', async () => {
    const text = `size B = 64\nsize D = 64\n@shape x: [B, D]\nf(x) = sum(amax(x, 2))`;
    const found = findLoss(text, 'f');
    if (!found.ok) throw new Error('f does not lower');
    const program = lowerToProgram(found.loss.graph, [found.loss.value]);
    const x = Float32Array.from({ length: 64 * 64 }, (_, j) => Math.sin(j));
    const [finite] = await single.compile(program)({ rows: 1, values: { x } });
    const want = runReference(program, { rows: 1, values: { x } })[0] as Float64Array;
    assertClose(finite as Float32Array, want, 'sum of row maxima');
    x[64 * 10 + 37] = Number.NaN;
    const [withNaN] = await single.compile(program)({ rows: 1, values: { x } });
    assert.ok(Number.isNaN((withNaN as Float32Array)[0]));
  });

  const names = fixtureLosses();
  it('finds the fixture losses', () => assert.ok(names.length >= 30, `${names.length} losses`));
  for (const name of names) {
    it(`${name}: value and gradients match the float64 reference`, async () => {
      for (const [seed, sizes] of [
        [1, {}],
        [2, LARGER],
        [3, ALIGNED],
      ] as const) {
        const loss = loweredAt(name, sizes);
        const program = valueAndGradients(loss);
        const values = bindingsOf(loss, seed);
        const want = runReference(program, { rows: 1, values });
        for (const executor of [single, threaded]) {
          const fn = executor.compile(program);
          const got = await fn({ rows: 1, values });
          want.forEach((w, o) => assertClose(got[o] as Float32Array, w, `${name} seed ${seed} output ${o} (${executor.threads} threads)`));
          assert.equal((fn as { engine?: string }).engine, 'fused-wasm');
        }
      }
    });
  }
});

function productByHand(a: Float32Array, b: Float32Array, m: number, k: number, n: number, aT: boolean, bT: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let t = 0; t < k; t++)
        sum += (aT ? (a[t * m + i] as number) : (a[i * k + t] as number)) * (bT ? (b[j * k + t] as number) : (b[t * n + j] as number));
      c[i * n + j] = sum;
    }
  return c;
}

describe('the matrix product kernel', () => {
  const memory = new KernelMemory();
  let pool: KernelPool;
  before(() => {
    pool = new KernelPool(memory.memory, 2);
  });
  after(() => pool.dispose());

  // Partial blocks of rows (m mod 4), partial panels of columns (n mod 8), k of 1, and one large
  // enough to be split between the threads.
  for (const [m, k, n] of [
    [1, 1, 1],
    [5, 7, 9],
    [13, 3, 17],
    [64, 33, 70],
    [130, 257, 131],
  ] as const)
    for (const aT of [false, true])
      for (const bT of [false, true])
        it(`${m}×${k} times ${k}×${n}${aT ? ', A transposed' : ''}${bT ? ', B transposed' : ''}`, async () => {
          const gemm = new GemmRunner(memory, pool, () => 1 << 20);
          let seed = m * 7919 + k * 104729 + n;
          const draw = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
          const a = Float32Array.from({ length: m * k }, draw);
          const b = Float32Array.from({ length: k * n }, draw);
          const got = await gemm.multiply({ data: a, rows: m, cols: k, transposed: aT }, { data: b, rows: k, cols: n, transposed: bT });
          const want = productByHand(a, b, m, k, n, aT, bT);
          // Float32 sums of k products of entries in [-1, 1]: within k ulps of 1.
          want.forEach((w, j) => assert.ok(Math.abs((got[j] as number) - w) <= k * 1.2e-7, `C[${j}] = ${got[j]}, by hand ${w}`));
        });
});

describe('the tensor plan', () => {
  const INFONCE = `size B = 64
size D = 16
param tau = 0.1 in [0.01, 1]
@shape z1: [B, D]
@shape z2: [B, D]
infonce(z1, z2) = mean(logsumexp(S, 2) - diag(S))
  where S = z1 * z2' / tau
`;
  const found = findLoss(INFONCE, 'infonce');
  if (!found.ok) throw new Error('infonce does not lower');
  const plan = planTensorSteps(valueAndGradients(found.loss));

  it("runs InfoNCE's three products on the product kernel, reading z2' and z1' in place", () => {
    const products = plan.steps.filter((s) => s.kind === 'matmul');
    assert.equal(products.length, 3);
    assert.ok(products.some((s) => s.kind === 'matmul' && s.b.transposed));
    assert.ok(products.some((s) => s.kind === 'matmul' && s.a.transposed));
  });

  it('spells softmax and logsumexp along an axis with max, exp and sum, the exponentials in a kernel', () => {
    const ops = plan.program.instructions.flatMap((n) => (n.tag === 'op' ? [n.op] : []));
    assert.ok(!ops.includes('softmax_axis') && !ops.includes('logsumexp_axis'));
    const fusedExp = plan.steps.filter((s) => s.kind === 'fused' && s.program.instructions.some((n) => n.tag === 'op' && n.op === 'exp'));
    assert.equal(fusedExp.length, 1, 'one exp(S - max) shared by the value and the gradient');
  });

  it('computes each step after the steps it reads', () => {
    const done = new Set<number>(plan.program.instructions.flatMap((n, i) => (n.tag === 'op' ? [] : [i])));
    for (const step of plan.steps) {
      const reads =
        step.kind === 'fused'
          ? step.inputs
          : step.kind === 'matmul'
            ? [step.a.source, step.b.source]
            : step.kind === 'alias'
              ? [step.source]
              : (plan.program.instructions[step.at] as { readonly args: readonly number[] }).args;
      for (const r of reads) assert.ok(done.has(r), `step ${JSON.stringify(step.kind)} reads ${r} before it is computed`);
      for (const w of step.kind === 'fused' ? step.outputs : [step.at]) done.add(w);
    }
    for (const o of plan.program.outputs) assert.ok(done.has(o));
  });
});
