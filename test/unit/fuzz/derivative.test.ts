/**
 * Fuzzing the engine: random expressions in z from a grammar over the smooth built-ins, whose
 * symbolic derivative (`autodiff.ts`, run by the float64 reference) must agree with central
 * finite differences wherever the function is smooth. Smooth is decided numerically: a point
 * counts when the differences at steps h and h/2 agree (the Richardson error estimate is small)
 * and every value is finite; elsewhere (a pole of 1/x, log of a negative) it is skipped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { findLoss } from '../../../src/core/analyze';
import { runReference } from '../../../src/core/engine/reference';
import { gradient } from '../../../src/core/ir/autodiff';
import type { NodeId } from '../../../src/core/ir/graph';
import { lowerToProgram } from '../../../src/core/ir/program';
import { fuzzBudget, FuzzTally } from './budget';

const UNARY = ['exp', 'log', 'log1p', 'expm1', 'sqrt', 'tanh', 'sin', 'cos', 'sigmoid', 'softplus'];

/** Expressions in z: constants, the smooth built-ins, + - * /, integer and constant powers. */
const { expr } = fc.letrec<{ expr: string; leaf: string }>((tie) => ({
  leaf: fc.oneof(
    fc.constant('z'),
    fc.integer({ min: -30, max: 30 }).map((n) => `${n / 10}`),
  ),
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.tuple(fc.constantFrom(...UNARY), tie('expr')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/'), tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('expr'), fc.constantFrom('2', '3', '0.5', '-1')).map(([a, n]) => `(${a})^${n}`),
    tie('expr').map((a) => `-(${a})`),
  ),
}));

/**
 * Points on a grid offset from the integers and from 0: at z = 1e-150 a removable singularity
 * such as z * (1/z) makes the product rule cancel terms of 1e300, a float64 limit, not a bug.
 */
const points = fc.integer({ min: -300, max: 299 }).map((n) => n / 100 + 0.00731);

/** Refusals the grammar can cause on purpose: a constant such as (-0.1)^0.5 or 0^-1 is not a real number. */
const CONSTANT_REFUSALS = new Set(['constant-not-real', 'limit-constantMagnitude']);

/** f and its symbolic f' at each z, in float64; undefined when the loss has a non-real constant. */
function valueAndDerivative(body: string, zs: number[]): { f: Float64Array; df: Float64Array } | undefined {
  const found = findLoss(`@kind margin\nf(z) = ${body}`, 'f', { libraryDirectory: null });
  if (!found.ok && found.diagnostics.every((d) => CONSTANT_REFUSALS.has(d.code))) return undefined;
  if (!found.ok) throw new Error(`the grammar made an invalid loss: ${body}: ${found.diagnostics[0]?.message}`);
  const l = found.loss;
  const [df] = gradient(l.graph, l.value, [(l.inputs[0] as { leaf: NodeId }).leaf]);
  const [f, d] = runReference(lowerToProgram(l.graph, [l.value, df as NodeId]), { rows: zs.length, values: { z: zs } });
  return { f: f as Float64Array, df: d as Float64Array };
}

describe('fuzz: symbolic derivatives against central finite differences', () => {
  it("agree to 1e-5 relative wherever f is smooth and finite (f' = (f(z+h) - f(z-h)) / 2h + O(h^2))", (t) => {
    const tally = new FuzzTally();
    let compared = 0;
    let skipped = 0;
    fc.assert(
      fc.property(expr, points, (body, z) => {
        const h = 1e-3 * Math.max(1, Math.abs(z));
        const zs = [z, z - h, z + h, z - h / 2, z + h / 2];
        const computed = tally.time(() => valueAndDerivative(body, zs));
        fc.pre(computed !== undefined);
        const { f, df } = computed;
        const symbolic = df[0] as number;
        const coarse = ((f[2] as number) - (f[1] as number)) / (2 * h);
        const fine = ((f[4] as number) - (f[3] as number)) / h;
        // Richardson: the O(h^2) errors of the two steps are 4:1, so this is fine's own error estimate.
        const richardson = (4 * fine - coarse) / 3;
        const scale = Math.max(1, Math.abs(richardson));
        const smooth = [...f, symbolic].every(Number.isFinite) && Math.abs(fine - coarse) < 1e-3 * scale;
        if (!smooth) {
          skipped++;
          return;
        }
        compared++;
        assert.ok(Math.abs(symbolic - richardson) <= 1e-5 * scale, `d/dz ${body} at z = ${z}: symbolic ${symbolic}, finite differences ${richardson}`);
      }),
      fuzzBudget(400),
    );
    t.diagnostic(`derivatives: ${tally}; compared at ${compared} points, ${skipped} not smooth or not finite there`);
    assert.ok(compared > skipped, `most points should be comparable: ${compared} compared, ${skipped} skipped`);
  });
});
