/**
 * The kernels' vectorised elementary functions against float64 `Math`, over the whole float32
 * range: a dense sweep of bit patterns (every 4093rd of the 2^32, so every binade of both signs,
 * subnormals included) plus the special values and the cut-offs of each range reduction. Each
 * function must stay within the bound that src/core/kernel/simdMath.ts states, in float32 ulps
 * of the exact (float64) result; NaN, infinities and overflow must match exactly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFusedExecutor, type FusedExecutor } from '../../../src/core/engine/fused';
import { Graph } from '../../../src/core/ir/graph';
import { OPS, sigmoid64, softplus64, type OpName } from '../../../src/core/ir/ops';
import { erf64 } from '../../../src/core/ir/special';
import { lowerToProgram } from '../../../src/core/ir/program';
import { unusedFallback } from './unusedFallback';
import { SCALAR } from '../../../src/core/ir/shape';

let fused: FusedExecutor;
before(async () => {
  fused = await createFusedExecutor(unusedFallback, { threads: 1 });
});
after(() => fused.dispose());

const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 2 ** -149, -(2 ** -149), 2 ** -126, 3.4028234663852886e38, -3.4028234663852886e38, 1, -1, 0.5, 2];
/** Where the reductions switch: exp's overflow and underflow, expm1's clamps, log's sqrt(2), tanh's saturation. */
const CUTOFFS = [
  88.72283,
  88.72284,
  88.8,
  89,
  -87.33655,
  -103.27893,
  -103.97208,
  -104,
  -18,
  -17.3,
  20,
  24 * Math.LN2,
  Math.SQRT2,
  Math.SQRT1_2,
  0.3465,
  -0.3466,
  9,
  -9,
  // sinh and cosh's switch to e^(|x|/2)^2 / 2, and where they overflow; atan's tan(pi/8); erf's pieces.
  88,
  -88,
  89.41599,
  89.416,
  Math.SQRT2 - 1,
  2.5,
  3.92,
  4,
  0.999,
];

/** Float32 values from every 4093rd bit pattern, both signs, then the specials. */
function sweep(stride: number): Float32Array {
  const bits = new Uint32Array(Math.ceil(2 ** 32 / stride));
  for (let i = 0; i < bits.length; i++) bits[i] = i * stride;
  const near = CUTOFFS.flatMap((c) => [c, Math.fround(c * (1 + 2 ** -23)), Math.fround(c * (1 - 2 ** -23))]);
  return Float32Array.from([...new Float32Array(bits.buffer), ...SPECIALS, ...near]);
}

/** |got - exact| in units of the float32 ulp at the exact value (2^-149 below the normal range); Infinity for a wrong special value. */
function ulpError(got: number, exact: number): number {
  if (Number.isNaN(exact) || Number.isNaN(got)) return Number.isNaN(exact) === Number.isNaN(got) ? 0 : Infinity;
  const rounded = Math.fround(exact);
  if (!Number.isFinite(rounded) || !Number.isFinite(got)) return rounded === got ? 0 : Infinity;
  const exponent = rounded === 0 ? -126 : Math.max(Math.floor(Math.log2(Math.abs(rounded))), -126);
  return Math.abs(got - exact) / 2 ** (exponent - 23);
}

async function worstError(op: OpName, exact: (...x: number[]) => number, columns: readonly Float32Array[]): Promise<{ ulps: number; at: number[] }> {
  const g = new Graph(1);
  const leaves = columns.map((_, k) => g.leaf(`x${k}`, 'input', SCALAR));
  const program = lowerToProgram(g, [g.apply(op, ...leaves)]);
  const rows = (columns[0] as Float32Array).length;
  const [out] = await fused.compile(program)({ rows, values: Object.fromEntries(columns.map((c, k) => [`x${k}`, c])) });
  let worst = { ulps: 0, at: [] as number[] };
  for (let r = 0; r < rows; r++) {
    const args = columns.map((c) => c[r] as number);
    const e = ulpError((out as Float32Array)[r] as number, exact(...args));
    if (e > worst.ulps) worst = { ulps: e, at: [...args, (out as Float32Array)[r] as number, exact(...args)] };
  }
  return worst;
}

/** The bounds stated in simdMath.ts. */
const UNARY: readonly [OpName, (x: number) => number, number][] = [
  ['exp', Math.exp, 2],
  ['log', Math.log, 3],
  ['expm1', Math.expm1, 3],
  ['log1p', Math.log1p, 5],
  ['tanh', Math.tanh, 3],
  ['sigmoid', sigmoid64, 3],
  ['softplus', softplus64, 5],
  ['sinh', Math.sinh, 4],
  ['cosh', Math.cosh, 3],
  ['atan', Math.atan, 3],
  ['asin', Math.asin, 4],
  ['acos', Math.acos, 3],
  ['erf', erf64, 3],
];

describe('vectorised elementary functions against float64 Math over all of float32', () => {
  const xs = sweep(4093);
  for (const [op, exact, bound] of UNARY) {
    it(`${op} is within ${bound} ulps`, async (t) => {
      const worst = await worstError(op, exact, [xs]);
      t.diagnostic(`${op}: worst ${worst.ulps.toFixed(3)} ulps at ${worst.at.join(', ')}`);
      assert.ok(worst.ulps <= bound, `${op}: ${worst.ulps} ulps at x = ${worst.at[0]} (got ${worst.at[1]}, exact ${worst.at[2]})`);
    });
  }

  it('atan2 is within 4 ulps over every quadrant, and follows Math.atan2 on zeros, infinities and NaN', async (t) => {
    const ys = sweep(65521);
    const others = [0, -0, 1, -1, 3, -3, 1e-30, -1e-30, 1e30, -1e30, Infinity, -Infinity, NaN, ...Array.from(sweep(2 ** 27 + 1))];
    const y = new Float32Array(ys.length * others.length);
    const x = new Float32Array(y.length);
    others.forEach((v, j) => {
      y.set(ys, j * ys.length);
      x.fill(v, j * ys.length, (j + 1) * ys.length);
    });
    for (const [first, second] of [
      [y, x],
      [x, y],
    ] as const) {
      const worst = await worstError('atan2', Math.atan2, [first, second]);
      t.diagnostic(`atan2: worst ${worst.ulps.toFixed(3)} ulps at ${worst.at.join(', ')} over ${y.length} pairs`);
      assert.ok(worst.ulps <= 4, `atan2(${worst.at[0]}, ${worst.at[1]}): got ${worst.at[2]}, exact ${worst.at[3]}`);
    }
  });

  it('pow is within 2 ulps, and follows Math.pow on its special cases', async (t) => {
    const bases = sweep(65521);
    const exponents = [0, -0, 1, -1, 2, 3, -2, 0.5, -0.5, 1 / 3, 2.5, 7, 1e-3, 40, -40, 100, Infinity, -Infinity, NaN, ...Array.from(sweep(2 ** 27 + 1))];
    const a = new Float32Array(bases.length * exponents.length);
    const b = new Float32Array(a.length);
    exponents.forEach((e, j) => {
      a.set(bases, j * bases.length);
      b.fill(e, j * bases.length, (j + 1) * bases.length);
    });
    const worst = await worstError('pow', OPS.pow.f64 as (a: number, b: number) => number, [a, b]);
    t.diagnostic(`pow: worst ${worst.ulps.toFixed(3)} ulps at ${worst.at.join(', ')} over ${a.length} pairs`);
    assert.ok(worst.ulps <= 2, `pow(${worst.at[0]}, ${worst.at[1]}): got ${worst.at[2]}, exact ${worst.at[3]}`);
  });
});
