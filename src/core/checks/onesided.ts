/**
 * Kinks along lines, with their one-sided derivatives. A kink can only sit where a switch of a
 * non-smooth op changes sign (kinks.ts), or where the derivative is not finite though the value
 * is. Sign changes between grid points are narrowed by bisection to a float64 bracket, and the
 * derivative of each smooth piece is read just outside the bracket, at two distances h: a corner
 * keeps its jump as h shrinks, a C^1 point (max(0, z)^2 at 0) has a jump that shrinks with h, and
 * a cusp (sqrt(|z|) at 0) has one that grows. One-sided derivatives as in Rockafellar & Wets,
 * "Variational Analysis" (1998), ch. 8.
 */
import type { Line } from './domain';
import { evaluateSections, sectionNodes, type LineValues, type SectionPoint } from './sections';
import type { LoweredLoss } from '../lang/lower';

export type PointKind = 'corner' | 'cusp' | 'jump' | 'differentiable' | 'undecided';

export interface KinkCandidate {
  readonly line: Line;
  /** The location on the line: the simplest number in the final bracket. */
  readonly t: number;
  readonly kind: PointKind;
  /** One-sided derivatives along the line's direction, just left and right of the bracket. */
  readonly left: number;
  readonly right: number;
  readonly secondLeft: number;
  readonly secondRight: number;
  /** f(t+) - f(t-): not 0 where the loss jumps. */
  readonly valueJump: number;
}

const BISECTIONS = 64;
const NEAR = 1e-9;
const FAR = 1e-6;

interface Bracket {
  readonly line: Line;
  lo: number;
  hi: number;
}

/** Switch values on a batch of rows: each output has rows × (1 or K) entries. */
interface Switches {
  readonly values: readonly Float64Array[];
  readonly rows: number;
}

/** Whether every switch has the same sign at row ra of a and row rb of b: one smooth piece. */
function samePiece(a: Switches, ra: number, b: Switches, rb: number): boolean {
  for (let o = 0; o < a.values.length; o++) {
    const x = a.values[o] as Float64Array;
    const y = b.values[o] as Float64Array;
    const w = x.length / a.rows;
    for (let j = 0; j < w; j++) if (Math.sign(x[ra * w + j] as number) !== Math.sign(y[rb * w + j] as number)) return false;
  }
  return true;
}

/** Every kink candidate on the lines: switch crossings and points with a non-finite derivative. */
export function findKinkCandidates(loss: LoweredLoss, params: Readonly<Record<string, number>>, grid: LineValues): KinkCandidate[] {
  const { value, first, switches, offsets } = grid;
  const signs = { values: switches, rows: grid.points.length };
  const brackets: Bracket[] = [];
  grid.lines.forEach((line, l) => {
    // A single point has no neighbourhood to read one-sided derivatives in.
    if (line.ts.length < 2) return;
    const start = offsets[l] as number;
    for (let i = 0; i < line.ts.length; i++) {
      const r = start + i;
      if (Number.isFinite(value[r]) && !Number.isFinite(first[r])) brackets.push({ line, lo: line.ts[i] as number, hi: line.ts[i] as number });
      // A line's grid may run either way (the rays from a vertex run from t = 1 down): lo is the smaller end.
      if (i + 1 < line.ts.length && switches.length > 0 && !samePiece(signs, r, signs, r + 1)) {
        const [a, b] = [line.ts[i] as number, line.ts[i + 1] as number];
        brackets.push({ line, lo: Math.min(a, b), hi: Math.max(a, b) });
      }
    }
  });
  narrow(loss, params, brackets);
  return probe(loss, params, dedupe(brackets));
}

/** Bisects each bracket on the pattern of switch signs at its left end, all brackets at once. */
function narrow(loss: LoweredLoss, params: Readonly<Record<string, number>>, brackets: Bracket[]): void {
  const open = brackets.filter((b) => b.lo < b.hi);
  if (open.length === 0) return;
  const { switches } = sectionNodes(loss);
  const rows = open.length;
  const left = {
    values: evaluateSections(
      loss,
      params,
      open.map((b) => ({ line: b.line, t: b.lo })),
      switches,
    ),
    rows,
  };
  for (let it = 0; it < BISECTIONS; it++) {
    const mids = open.map((b) => ({ line: b.line, t: b.lo + (b.hi - b.lo) / 2 }));
    const at = { values: evaluateSections(loss, params, mids, switches), rows };
    open.forEach((b, i) => {
      const m = (mids[i] as SectionPoint).t;
      if (m <= b.lo || m >= b.hi) return;
      if (samePiece(left, i, at, i)) b.lo = m;
      else b.hi = m;
    });
  }
}

function dedupe(brackets: readonly Bracket[]): Bracket[] {
  const out: Bracket[] = [];
  for (const b of brackets) {
    const near = (o: Bracket) => o.line === b.line && Math.abs(o.lo - b.lo) <= 1e-7 * Math.max(1, Math.abs(b.lo));
    if (!out.some(near)) out.push(b);
  }
  return out;
}

/** Reads the derivative of each piece at distances NEAR and FAR outside each bracket. */
function probe(loss: LoweredLoss, params: Readonly<Record<string, number>>, brackets: readonly Bracket[]): KinkCandidate[] {
  if (brackets.length === 0) return [];
  const nodes = sectionNodes(loss);
  const scales = brackets.map((b) => {
    const [lo, hi] = b.line.bounds;
    // Keep the farther probe within a tenth of the way to a face of the domain.
    const room = Math.min(b.lo - lo, hi - b.hi);
    return Math.min(Math.max(1, Math.abs(b.lo)), (0.1 * room) / FAR);
  });
  const points = brackets.flatMap((b, i) => {
    const s = scales[i] as number;
    return [b.lo - FAR * s, b.lo - NEAR * s, b.hi + NEAR * s, b.hi + FAR * s].map((t) => ({ line: b.line, t }));
  });
  const [v, d, d2] = evaluateSections(loss, params, points, [nodes.value, nodes.first, nodes.second]) as [Float64Array, Float64Array, Float64Array];
  return brackets.map((b, i) => {
    const at = (a: Float64Array, k: number) => a[4 * i + k] as number;
    const [dL1, dL2, dR2, dR1] = [0, 1, 2, 3].map((k) => at(d, k)) as [number, number, number, number];
    const [vL, vR] = [at(v, 1), at(v, 2)];
    const candidate = { line: b.line, t: simplestWithin(b.lo, b.hi), left: dL2, right: dR2, secondLeft: at(d2, 1), secondRight: at(d2, 2), valueJump: vR - vL };
    return { ...candidate, kind: classify(vL, vR, dL1, dL2, dR2, dR1, b.hi - b.lo + 2 * NEAR * (scales[i] as number)) };
  });
}

/**
 * The number with the fewest significant digits in [lo, hi], widened by the rounding of a switch
 * (a few ulps of 1): the kink of |r| is at 0, not at -2.7e-23, and the kink of min(1, max(0, 1 - z))
 * at 0, not at -1.1e-16, where 1 - (1 - z) rounds.
 */
export function simplestWithin(bracketLo: number, bracketHi: number): number {
  const slack = 2 ** -50 * Math.max(1, Math.abs(bracketLo));
  const [lo, hi] = [bracketLo - slack, bracketHi + slack];
  if (lo <= 0 && hi >= 0) return 0;
  const mid = lo + (hi - lo) / 2;
  for (let digits = 1; digits < 17; digits++) {
    const x = Number(mid.toPrecision(digits));
    if (x >= lo && x <= hi) return x;
  }
  return mid;
}

function classify(vL: number, vR: number, dL1: number, dL2: number, dR2: number, dR1: number, width: number): PointKind {
  if (!Number.isFinite(vL) || !Number.isFinite(vR)) return 'undecided';
  if (!Number.isFinite(dL2) || !Number.isFinite(dR2)) return 'cusp';
  // A continuous function changes by at most about |f'| times the width of the bracket.
  const continuous = 4 * Math.max(Math.abs(dL2), Math.abs(dR2)) * width + 1e-9 * (1 + Math.abs(vL) + Math.abs(vR));
  if (Math.abs(vR - vL) > continuous) return 'jump';
  const near = Math.abs(dR2 - dL2);
  const far = Math.abs(dR1 - dL1);
  if (near <= 1e-7 * (1 + Math.abs(dL2) + Math.abs(dR2))) return 'differentiable';
  // The gap of a C^1 point shrinks in proportion to h (by 1000 from FAR to NEAR); a corner's does not.
  if (!(near >= 0.5 * far)) return 'differentiable';
  return near > 20 * far ? 'cusp' : 'corner';
}

/** Whether the second derivative jumps at a differentiable candidate: C^1 but not C^2. */
export function curvatureJumps(c: KinkCandidate): boolean {
  return c.kind === 'differentiable' && Math.abs(c.secondRight - c.secondLeft) > 1e-6 * (1 + Math.abs(c.secondLeft) + Math.abs(c.secondRight));
}
