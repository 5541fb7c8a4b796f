/**
 * convexity: whether the loss is convex (jointly) in its variables, with the labels held. Three
 * conditions on seeded lines and pairs: f'' >= 0 along every line (the Hessian along its
 * direction), right derivative >= left derivative at every kink, and the midpoint inequality
 * f((a + b)/2) <= (f(a) + f(b))/2 on random pairs, which catches non-convexity that has no
 * curvature to show. A failure is always a pair violating the midpoint inequality beyond float64
 * rounding. Boyd & Vandenberghe, "Convex Optimization" (2004), sections 3.1.3-3.1.4.
 */
import type { Check, CheckContext } from './context';
import { describePoint, linesThrough, pairsIn, pointOn, type Line } from './domain';
import { findKinkCandidates } from './onesided';
import type { CheckResult } from './report';
import { evaluateSections, sectionNodes, valuesOnLines } from './sections';

const CITE = '"Convex Optimization" (Boyd & Vandenberghe, 2004), sections 3.1.3-3.1.4';
/** f'' below this, relative to 1 + |f| + |f'|, is a suspect; a pair must confirm it. */
const CURVATURE_TOLERANCE = 1e-8;
/** A midpoint gap beyond this, relative to the values, is not rounding. */
const GAP_TOLERANCE = 1e-9;
const DELTAS = [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001];

interface Pair {
  readonly line: Line;
  readonly a: number;
  readonly b: number;
}

interface Violation extends Pair {
  readonly fa: number;
  readonly fb: number;
  readonly fm: number;
  /** The gap over its tolerance: the larger, the clearer. */
  readonly excess: number;
}

/** The midpoint inequality on each pair; the violations beyond rounding. */
function violations(ctx: CheckContext, pairs: readonly Pair[]): Violation[] {
  const { loss, params } = ctx;
  const points = pairs.flatMap((p) => [p.a, (p.a + p.b) / 2, p.b].map((t) => ({ line: p.line, t })));
  const [f] = evaluateSections(loss, params, points, [sectionNodes(loss).value]) as [Float64Array];
  const out: Violation[] = [];
  pairs.forEach((p, i) => {
    const [fa, fm, fb] = [f[3 * i] as number, f[3 * i + 1] as number, f[3 * i + 2] as number];
    if (!Number.isFinite(fa) || !Number.isFinite(fm) || !Number.isFinite(fb)) return;
    const gap = fm - (fa + fb) / 2;
    const tolerance = GAP_TOLERANCE * (1 + Math.abs(fa) + Math.abs(fb) + Math.abs(fm));
    if (gap > tolerance) out.push({ ...p, fa, fb, fm, excess: gap / tolerance });
  });
  return out;
}

/** Pairs around t on its line, symmetric and lopsided (a jump needs the midpoint on its high side). */
function pairsAround(line: Line, t: number): Pair[] {
  const [lo, hi] = line.bounds;
  const scale = Math.max(1, Math.abs(t));
  return DELTAS.flatMap((d) => {
    const h = d * scale;
    return [
      { line, a: t - h, b: t + h },
      { line, a: t - 3 * h, b: t + h },
      { line, a: t - h, b: t + 3 * h },
    ].filter((p) => p.a > lo && p.b < hi);
  });
}

async function checkConvexity(ctx: CheckContext): Promise<CheckResult> {
  const { loss, params } = ctx;
  const lines = linesThrough(loss, 12);
  const grid = valuesOnLines(loss, params, lines, [sectionNodes(loss).second]);
  const { offsets, value: f, first: d1 } = grid;
  const [d2] = grid.extra as [Float64Array];

  // The most negative curvature on each line, where it is clearly below rounding.
  const suspects: { line: Line; t: number }[] = [];
  let finite = 0;
  lines.forEach((line, l) => {
    let worst: { t: number; score: number } | undefined;
    line.ts.forEach((t, i) => {
      const r = (offsets[l] as number) + i;
      if (!Number.isFinite(f[r])) return;
      finite++;
      const score = -(d2[r] as number) / (1 + Math.abs(f[r] as number) + Math.abs(d1[r] as number));
      if (score > CURVATURE_TOLERANCE && (!worst || score > worst.score)) worst = { t, score };
    });
    if (worst) suspects.push({ line, t: worst.t });
  });
  // Kinks where the slope drops (right < left) are concave corners; jumps are never convex.
  const kinks = findKinkCandidates(loss, params, grid);
  const concave = kinks.filter((k) => k.kind === 'jump' || ((k.kind === 'corner' || k.kind === 'cusp') && !(k.right >= k.left)));
  const random = pairsIn(loss, 13, 96).map((line) => ({ line, a: 0, b: 1 }));

  const found = violations(ctx, [...random, ...[...suspects, ...concave].flatMap((s) => pairsAround(s.line, s.t))]);
  const corners = kinks.filter((k) => k.kind === 'corner' || k.kind === 'cusp').length;
  const metrics = { lines: lines.length, points: grid.points.length, pairs: random.length, kinks: corners };
  if (found.length > 0) {
    const v = found.reduce((a, b) => (b.excess > a.excess ? b : a));
    const pa = pointOn(v.line, v.a);
    const pb = pointOn(v.line, v.b);
    const held = v.line.held;
    const variables = (p: Record<string, number | number[]>) => Object.fromEntries(Object.entries(p).filter(([k]) => !(k in held)));
    const suffixed = (p: Record<string, number | number[]>, s: string) => Object.fromEntries(Object.entries(variables(p)).map(([k, x]) => [`${k}_${s}`, x]));
    const num = (x: number) => String(Number(x.toPrecision(6)));
    return {
      id: 'convexity',
      verdict: 'fail',
      summary: `not convex: f((a + b)/2) = ${num(v.fm)} > (f(a) + f(b))/2 = ${num((v.fa + v.fb) / 2)} for a: ${describePoint(variables(pa))}, b: ${describePoint(variables(pb))}${Object.keys(held).length ? ` (${describePoint(held)})` : ''}`,
      metrics,
      witness: { ...suffixed(pa, 'a'), ...suffixed(pb, 'b'), ...held, f_a: v.fa, f_b: v.fb, f_midpoint: v.fm },
      cite: CITE,
    };
  }
  if (finite === 0) return { id: 'convexity', verdict: 'inconclusive', summary: 'the loss is not finite on any line through its domain', metrics, cite: CITE };
  if (suspects.length > 0 || concave.length > 0) {
    const s = [...suspects, ...concave][0] as { line: Line; t: number };
    return {
      id: 'convexity',
      verdict: 'inconclusive',
      summary: `the loss curves down at ${describePoint(pointOn(s.line, s.t))}, but no pair there violates the midpoint inequality beyond float64 rounding`,
      metrics,
      cite: CITE,
    };
  }
  const total = grid.points.length;
  const skipped = finite < total ? `; the loss is not finite at ${total - finite} of ${total} points, which were left out` : '';
  return {
    id: 'convexity',
    verdict: 'pass',
    summary: `convex: f'' >= 0 at ${finite} points on ${lines.length} line${lines.length === 1 ? '' : 's'}${corners ? `, the slope rises at every kink (${corners})` : ''}, and the midpoint inequality holds on ${random.length} random pairs${skipped}`,
    metrics,
    cite: CITE,
  };
}

export const convexityCheck: Check = { id: 'convexity', title: 'Convexity', applies: () => true, run: checkConvexity };
