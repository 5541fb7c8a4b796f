/**
 * gradient: LossLab's symbolic derivative against central finite differences in float64, and
 * the backend's float32 gradient against the float64 one. Finite differences use the five-point
 * stencil at h, h/2 and h/4, combined by Romberg's extrapolation (error O(h^8): steep losses
 * such as CosFace at scale 64 have fifth derivatives of 64^5, which an O(h^4) quotient does not
 * resolve to 1e-6), and skip points whose stencil crosses a kink (see kinks.ts), where a difference quotient
 * does not estimate a derivative.
 */
import { gradient } from '../ir/autodiff';
import { lowerToProgram } from '../ir/program';
import { runReference } from '../engine/reference';
import { isDifferentiableRole, type InputRole } from '../lang/kinds';
import type { Check, CheckContext } from './context';
import { freezeStopGradients } from './frozen';
import { kinkSwitches, samePattern } from './kinks';
import type { CheckResult } from './report';
import { inputWidths, rowOf, typicalSample } from './sampling';
import { entryName } from '../engine/heldBatch';
import { seededRandom } from './random';

const POINTS = 48;
/** Rows of shifted points at most: a batch loss has an entry per component, and fewer points. */
const MAX_ROWS = 60000;
/** Entries of all inputs over all shifted rows at most (float64: 8 bytes each, per input column set). */
const MAX_ENTRIES = 8_000_000;
const MIN_POINTS = 4;

/** `budget` of the components, evenly spaced through the list with a seeded offset: every input keeps its share. */
function chosenComponents<T>(all: readonly T[], budget: number): T[] {
  const random = seededRandom(11);
  const step = all.length / budget;
  const offset = random() * step;
  return Array.from({ length: budget }, (_, k) => all[Math.min(all.length - 1, Math.floor(offset + k * step))] as T);
}
const SYMBOLIC_TOLERANCE = 1e-6;
const BACKEND_TOLERANCE = 1e-3;
/** Multiples of h: the five-point stencil at h (-2, -1, 1, 2), at h/2 (-1, -1/2, 1/2, 1) and at h/4 (-1/2, -1/4, 1/4, 1/2). */
const STENCIL = [-2, -1, 1, 2, -0.5, 0.5, -0.25, 0.25] as const;

/** A step small enough for O(h^4) truncation, large enough against rounding, inside the domain. */
function stepFor(role: InputRole, x: number): number {
  if (role === 'probability' || role === 'simplex') return 1e-3 * Math.min(x, 1 - x, 0.5);
  return 1e-3 * Math.max(1, Math.abs(x));
}

function relativeError(a: number, b: number, floor: number): number {
  // Both NaN (outside the loss's domain) or the same infinity: the two agree.
  if (Object.is(a, b) || a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

async function checkGradient({ loss, params, executor }: CheckContext): Promise<CheckResult> {
  const g = loss.graph;
  const widths = inputWidths(loss);
  const wrt = loss.inputs.filter((i) => isDifferentiableRole(i.spec.role));
  if (wrt.length === 0) return { id: 'gradient', verdict: 'inconclusive', summary: 'the loss has no differentiable input', metrics: {} };
  const grads = gradient(
    g,
    loss.value,
    wrt.map((i) => i.leaf),
  );
  const switches = kinkSwitches(g, loss.value);
  const componentCount = wrt.reduce((n, i) => n + (widths[loss.inputs.indexOf(i)] as number), 0);
  // Each shifted row holds every input's entries: a batch loss gets fewer rows, and fewer of its components.
  const rowWidth = widths.reduce((a, b) => a + b, 0);
  const rowBudget = Math.max(STENCIL.length + 1, Math.min(MAX_ROWS, Math.floor(MAX_ENTRIES / rowWidth)));
  const points = Math.max(MIN_POINTS, Math.min(POINTS, Math.floor(rowBudget / (componentCount * (STENCIL.length + 1)))));
  const componentBudget = Math.max(1, Math.floor(rowBudget / (points * (STENCIL.length + 1))));
  const sample = typicalSample(loss, points, 1);
  const at = { ...params, ...sample.values };

  const symbolic = runReference(lowerToProgram(g, grads), { rows: points, values: at });
  const backend = await executor.compile(lowerToProgram(g, grads))({ rows: points, values: at });

  // One component per scalar input and per entry of a vector input; of a large tensor, a seeded
  // choice spread over its entries (each input keeps its share).
  const all = wrt.flatMap((input, w) => {
    const width = widths[loss.inputs.indexOf(input)] as number;
    return Array.from({ length: width }, (_, j) => ({ input, w, j, width }));
  });
  const components = all.length <= componentBudget ? all : chosenComponents(all, componentBudget);
  const offsets = [0, ...STENCIL];
  const rows = points * components.length * offsets.length;
  const shifted: Record<string, Float64Array> = {};
  for (const [i, { spec }] of loss.inputs.entries()) {
    const width = widths[i] as number;
    const src = sample.values[spec.name] as Float64Array;
    const col = new Float64Array(rows * width);
    for (let r = 0; r < rows; r++) {
      const point = Math.floor(r / (components.length * offsets.length));
      col.set(src.subarray(point * width, (point + 1) * width), r * width);
    }
    shifted[spec.name] = col;
  }
  const steps = new Float64Array(points * components.length);
  for (let p = 0; p < points; p++) {
    components.forEach((c, ci) => {
      const col = shifted[c.input.spec.name] as Float64Array;
      const x = (sample.values[c.input.spec.name] as Float64Array)[p * c.width + c.j] as number;
      const h = stepFor(c.input.spec.role, x);
      steps[p * components.length + ci] = h;
      offsets.forEach((o, oi) => {
        const r = (p * components.length + ci) * offsets.length + oi;
        col[r * c.width + c.j] = x + o * h;
      });
    });
  }
  // stop_gradient(e) holds e at the unshifted point, as the symbolic derivative treats it.
  const frozen = freezeStopGradients(g, loss.value);
  if (frozen.frozen.length > 0) {
    const held = runReference(
      lowerToProgram(
        g,
        frozen.frozen.map((f) => f.expression),
      ),
      { rows: points, values: at },
    );
    frozen.frozen.forEach((f, k) => {
      const atPoints = held[k] as Float64Array;
      const col = new Float64Array(rows * f.width);
      for (let r = 0; r < rows; r++) {
        const point = Math.floor(r / (components.length * offsets.length));
        col.set(atPoints.subarray(point * f.width, (point + 1) * f.width), r * f.width);
      }
      shifted[f.name] = col;
    });
  }
  const [values, ...switchValues] = runReference(lowerToProgram(g, [frozen.value, ...switches]), { rows, values: { ...params, ...shifted } });

  let maxAbs = 0;
  for (const s of symbolic) for (const v of s) if (Number.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
  const floor = 1e-6 * (1 + maxAbs);
  let worst = { error: 0, point: 0, component: 0, symbolic: 0, fd: 0 };
  let worstBackend = { error: 0, point: 0, component: 0 };
  let kinks = 0;
  let compared = 0;
  for (let p = 0; p < points; p++) {
    components.forEach((c, ci) => {
      const base = (p * components.length + ci) * offsets.length;
      const sym = (symbolic[c.w] as Float64Array)[p * c.width + c.j] as number;
      const bk = (backend[c.w] as Float32Array)[p * c.width + c.j] as number;
      const eb = relativeError(bk, sym, 1e-4 * (1 + maxAbs));
      if (eb > worstBackend.error) worstBackend = { error: eb, point: p, component: ci };
      const onKink = switchValues.some((sv) => {
        const width = sv.length / rows;
        const centre = sv.subarray(base * width, (base + 1) * width);
        return offsets.some((_, oi) => !samePattern(centre, sv.subarray((base + oi) * width, (base + oi + 1) * width)));
      });
      if (onKink) {
        kinks++;
        return;
      }
      const f = (oi: number) => (values as Float64Array)[base + oi] as number;
      const h = steps[p * components.length + ci] as number;
      // Five-point quotients (error c h^4 + O(h^6)), then Romberg: each halving removes the leading term.
      const atH = (f(1) - 8 * f(2) + 8 * f(3) - f(4)) / (12 * h);
      const atHalf = (f(2) - 8 * f(5) + 8 * f(6) - f(3)) / (6 * h);
      const atQuarter = (f(5) - 8 * f(7) + 8 * f(8) - f(6)) / (3 * h);
      const [sixth, sixthFiner] = [atHalf + (atHalf - atH) / 15, atQuarter + (atQuarter - atHalf) / 15];
      const romberg = sixthFiner + (sixthFiner - sixth) / 63;
      if (!Number.isFinite(romberg) && !Number.isFinite(sym)) return;
      compared++;
      // Each estimate trades truncation (smaller at higher order) against rounding (larger at
      // smaller steps: a tiny gradient of a large loss); the derivative agrees when one of them does.
      const [e, fd] = [atH, sixth, romberg].map((x): [number, number] => [relativeError(sym, x, floor), x]).reduce((best, c) => (c[0] < best[0] ? c : best));
      if (e > worst.error) worst = { error: e, point: p, component: ci, symbolic: sym, fd };
    });
  }

  const name = (ci: number) => {
    const c = components[ci] as (typeof components)[number];
    return c.width > 1 ? entryName(c.input.spec.name, g.shape(c.input.leaf), c.j) : c.input.spec.name;
  };
  const metrics = {
    max_rel_error: worst.error,
    backend_max_rel_error: worstBackend.error,
    points,
    components: components.length,
    of_components: all.length,
    compared,
    kink_points: kinks,
  };
  if (compared === 0) {
    return {
      id: 'gradient',
      verdict: 'inconclusive',
      summary: 'every sampled point sits at a kink or where the loss is not finite; nothing could be compared',
      metrics,
    };
  }
  const symbolicOk = worst.error <= SYMBOLIC_TOLERANCE;
  const backendOk = worstBackend.error <= BACKEND_TOLERANCE;
  if (symbolicOk && backendOk) {
    return {
      id: 'gradient',
      verdict: 'pass',
      summary: `the derivative matches finite differences to ${worst.error.toExponential(1)} (float64) and the ${executor.backend} backend to ${worstBackend.error.toExponential(1)} (float32) at ${compared} comparisons${components.length < all.length ? ` (${components.length} of the ${all.length} entries, spread over the inputs)` : ''}${kinks ? `; ${kinks} at kinks skipped` : ''}`,
      metrics,
    };
  }
  if (!symbolicOk) {
    return {
      id: 'gradient',
      verdict: 'fail',
      summary: `d/d${name(worst.component)} is ${worst.symbolic.toPrecision(8)} symbolically but ${worst.fd.toPrecision(8)} by finite differences (relative error ${worst.error.toExponential(2)})`,
      metrics,
      witness: { ...rowOf(loss, sample, worst.point), component: name(worst.component), symbolic: worst.symbolic, finite_difference: worst.fd },
    };
  }
  const c = components[worstBackend.component] as (typeof components)[number];
  return {
    id: 'gradient',
    verdict: 'fail',
    summary: `the ${executor.backend} backend's gradient d/d${name(worstBackend.component)} differs from the float64 derivative by ${worstBackend.error.toExponential(2)} (relative)`,
    metrics,
    witness: {
      ...rowOf(loss, sample, worstBackend.point),
      component: name(worstBackend.component),
      float64: (symbolic[c.w] as Float64Array)[worstBackend.point * c.width + c.j] as number,
      backend: (backend[c.w] as Float32Array)[worstBackend.point * c.width + c.j] as number,
    },
  };
}

export const gradientCheck: Check = { id: 'gradient', title: 'Gradient', applies: () => true, run: checkGradient };
