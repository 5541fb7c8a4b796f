/**
 * divergence: whether D(p, q) over probability vectors is a divergence, D >= 0 with D(p, q) = 0
 * exactly when p = q (Amari 2016, "Information Geometry and Its Applications", Def. 1.1), tested
 * in float64 on seeded pairs, the diagonal and permuted pairs. Also reports whether D is symmetric,
 * whether it stays finite as p and q approach disjoint supports (KL does not; Jensen–Shannon does,
 * bounded by log 2: Lin 1991, "Divergence Measures Based on the Shannon Entropy"), and its supremum.
 */
import type { LoweredLoss } from '../lang/lower';
import type { Check, CheckContext } from './context';
import { lossValues64 } from './float64';
import { showVector as show } from './multiclassBatch';
import { normal, seededRandom } from './random';
import type { CheckResult } from './report';

const CITE = 'Amari 2016, "Information Geometry and Its Applications" (Def. 1.1, divergence); Lin 1991, "Divergence Measures Based on the Shannon Entropy"';
const PAIRS = 40;
/** Pairs this far apart (L1) must have D > 0: closer ones may have D below rounding. */
const DISTINCT = 1e-2;
/** Smoothing toward the uniform vector, to approach disjoint supports from inside the simplex. */
const SMOOTHING = [1e-3, 1e-6, 1e-9, 1e-12];

type Pair = readonly [Float64Array, Float64Array];

function evaluate(loss: LoweredLoss, params: Readonly<Record<string, number>>, pairs: readonly Pair[]): Float64Array {
  const K = loss.info.classes;
  const [pName, qName] = loss.inputs.map((i) => i.spec.name) as [string, string];
  const p = new Float64Array(pairs.length * K);
  const q = new Float64Array(pairs.length * K);
  pairs.forEach(([a, b], i) => {
    p.set(a, i * K);
    q.set(b, i * K);
  });
  return lossValues64(loss, params, pairs.length, { [pName]: p, [qName]: q });
}

/** Seeded points strictly inside the simplex; every third one sharply peaked (entries near 1e-6). */
function interiorPoints(K: number, n: number, random: () => number): Float64Array[] {
  return Array.from({ length: n }, (_, i) => {
    const spread = i % 3 === 2 ? 5 : 1;
    const e = Float64Array.from({ length: K }, () => Math.exp(spread * normal(random)));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((x) => Math.max(x / total, 1e-12));
  });
}

const l1 = (a: Float64Array, b: Float64Array): number => a.reduce((t, x, i) => t + Math.abs(x - (b[i] as number)), 0);
const unit = (K: number, ...on: number[]): Float64Array => Float64Array.from({ length: K }, (_, j) => (on.includes(j) ? 1 / on.length : 0));
const smoothed = (v: Float64Array, eps: number): Float64Array => v.map((x) => (1 - eps) * x + eps / v.length);

/** Pairs with disjoint supports: distinct vertices, and a two-class mixture against a third class. */
function disjointPairs(K: number): Pair[] {
  const pairs: Pair[] = [];
  for (let i = 0; i < K && pairs.length < 6; i++) for (let j = 0; j < K && pairs.length < 6; j++) if (i !== j) pairs.push([unit(K, i), unit(K, j)]);
  if (K >= 3) pairs.push([unit(K, 0, 1), unit(K, 2)], [unit(K, 2), unit(K, 0, 1)]);
  return pairs;
}

/** D at a disjoint pair, as the limit of the smoothed pairs: finite (with its value), infinite, or undecided. */
function limitAtDisjoint(exact: number, approach: readonly number[]): { finite: true; value: number } | { finite: false } | undefined {
  const [v1, v2, v3, v4] = approach as [number, number, number, number];
  const [d1, d2, d3] = [v2 - v1, v3 - v2, v4 - v3];
  // Settling on the value at the pair itself (Hellinger approaches it like sqrt(eps)).
  if (Number.isFinite(exact) && Math.abs(v4 - exact) <= 1e-3 * (1 + Math.abs(exact))) return { finite: true, value: exact };
  if (approach.every(Number.isFinite)) {
    // Settled, or converging geometrically (0 log 0 = NaN at the pair itself, as in KL and JS).
    if (Math.abs(d3) <= 1e-6 * (1 + Math.abs(v4))) return { finite: true, value: v4 };
    if (Math.abs(d3) <= 0.3 * Math.abs(d2) && Math.abs(d2) <= 0.3 * Math.abs(d1)) return { finite: true, value: v4 };
  }
  // Growing without slowing down (log 1/eps for KL, 1/eps for chi-squared), or already infinite.
  if (approach.some((v) => v === Infinity) || (d1 > 0 && d2 > 0 && d3 > 0 && d3 >= 0.5 * d2)) return { finite: false };
  return undefined;
}

async function checkDivergence({ loss, params }: CheckContext): Promise<CheckResult> {
  const K = loss.info.classes;
  const random = seededRandom(1991);
  const ps = interiorPoints(K, PAIRS, random);
  const qs = interiorPoints(K, PAIRS, random);
  const forward: Pair[] = ps.map((p, i) => [p, qs[i] as Float64Array]);
  const backward: Pair[] = forward.map(([p, q]) => [q, p]);
  const diagonal: Pair[] = [...ps, ...qs].map((p) => [p, p]);
  // A permutation of p is as far from p as anything, yet equal in every symmetric statistic: an
  // entropy difference vanishes there.
  const permuted: Pair[] = ps.flatMap((p): Pair[] => {
    const r = Float64Array.from({ length: K }, (_, j) => p[(j + 1) % K] as number);
    return l1(p, r) >= DISTINCT ? [[p, r]] : [];
  });
  const disjoint = disjointPairs(K);
  const approaching = SMOOTHING.flatMap((eps) => disjoint.map(([p, q]): Pair => [smoothed(p, eps), smoothed(q, eps)]));
  const all = [...forward, ...backward, ...diagonal, ...permuted, ...disjoint, ...approaching];
  const values = evaluate(loss, params, all);
  const at = (offset: number, n: number): { pair: Pair; d: number }[] =>
    Array.from({ length: n }, (_, i) => ({ pair: all[offset + i] as Pair, d: values[offset + i] as number }));
  let offset = 0;
  const take = (n: number) => {
    const out = at(offset, n);
    offset += n;
    return out;
  };
  const fwd = take(forward.length);
  const bwd = take(backward.length);
  const diag = take(diagonal.length);
  const perm = take(permuted.length);
  const exact = take(disjoint.length);
  const approach = take(approaching.length);

  const inside = [...fwd, ...bwd, ...perm];
  const finiteInside = inside.filter((x) => Number.isFinite(x.d));
  // Zero means zero to rounding, at the size D typically has (a median: a few peaked pairs may
  // give D huge values, as chi-squared does, without making small values any less exact).
  const sizes = finiteInside.map((x) => Math.abs(x.d)).sort((a, b) => a - b);
  const tolerance = 1e-12 * (1 + (sizes[Math.floor(sizes.length / 2)] ?? 0));
  const metrics: Record<string, number> = { pairs: all.length };
  const witness = ({ pair, d }: { pair: Pair; d: number }) => ({ p: Array.from(pair[0]), q: Array.from(pair[1]), D: Number.isFinite(d) ? d : String(d) });
  const fail = (summary: string, x: { pair: Pair; d: number }): CheckResult => ({
    id: 'divergence',
    verdict: 'fail',
    summary,
    metrics,
    witness: witness(x),
    cite: CITE,
  });

  if (finiteInside.length > 0) metrics.min = Math.min(...finiteInside.map((x) => x.d), ...diag.filter((x) => Number.isFinite(x.d)).map((x) => x.d));
  metrics.max_diagonal = diag.reduce((m, x) => Math.max(m, Math.abs(x.d)), 0);

  const negative = [...inside, ...diag].find((x) => x.d < -tolerance);
  if (negative)
    return fail(`not a divergence: D(p, q) = ${negative.d.toPrecision(6)} < 0 at p = ${show(negative.pair[0])}, q = ${show(negative.pair[1])}`, negative);
  const nonzeroOnDiagonal = diag.find((x) => !(Math.abs(x.d) <= tolerance));
  if (nonzeroOnDiagonal)
    return fail(`not a divergence: D(p, p) = ${nonzeroOnDiagonal.d.toPrecision(6)}, not 0, at p = ${show(nonzeroOnDiagonal.pair[0])}`, nonzeroOnDiagonal);
  const distinct = [...fwd, ...perm].filter((x) => l1(x.pair[0], x.pair[1]) >= DISTINCT && Number.isFinite(x.d));
  if (distinct.length > 0) metrics.min_off_diagonal = Math.min(...distinct.map((x) => x.d));
  const zero = distinct.find((x) => x.d <= tolerance);
  if (zero) {
    return fail(
      `not a divergence: D(p, q) = ${+zero.d.toPrecision(3)} although p = ${show(zero.pair[0])} and q = ${show(zero.pair[1])} differ (L1 distance ${l1(zero.pair[0], zero.pair[1]).toPrecision(3)})`,
      zero,
    );
  }

  // Symmetry, on pairs where both orders are finite.
  let asymmetry = 0;
  let symmetric = true;
  fwd.forEach((x, i) => {
    const y = (bwd[i] as { d: number }).d;
    if (!Number.isFinite(x.d) || !Number.isFinite(y)) return;
    asymmetry = Math.max(asymmetry, Math.abs(x.d - y));
    if (Math.abs(x.d - y) > 1e-9 * (1 + Math.abs(x.d) + Math.abs(y))) symmetric = false;
  });
  metrics.symmetric = symmetric ? 1 : 0;
  metrics.asymmetry = asymmetry;

  // Disjoint supports: the limit of D along the smoothed pairs.
  const limits = exact.map((x, i) =>
    limitAtDisjoint(
      x.d,
      SMOOTHING.map((_, e) => (approach[e * disjoint.length + i] as { d: number }).d),
    ),
  );
  const infiniteAt = limits.findIndex((l) => l !== undefined && !l.finite);
  const finite = limits.every((l) => l?.finite === true);
  let bounds: string;
  if (infiniteAt >= 0) {
    metrics.finite_on_disjoint_supports = 0;
    const [p, q] = disjoint[infiniteAt] as Pair;
    bounds = `infinite as the supports become disjoint (p -> ${show(p)}, q -> ${show(q)}), hence unbounded`;
  } else if (finite) {
    metrics.finite_on_disjoint_supports = 1;
    // The supremum over the simplex: for a jointly convex D it sits at a pair of vertices.
    const candidates = [...finiteInside.map((x) => x.d), ...limits.map((l) => (l as { value: number }).value)];
    metrics.supremum = Math.max(...candidates);
    bounds = `finite on disjoint supports, with supremum ${metrics.supremum.toPrecision(6)} over the pairs tried`;
  } else bounds = 'of undecided finiteness on disjoint supports (the values neither settle nor grow steadily as the supports separate)';

  const undefinedInside = inside.length - finiteInside.length;
  metrics.undefined_points = undefinedInside;
  const symmetryText = symmetric ? 'symmetric' : `not symmetric (|D(p, q) - D(q, p)| up to ${asymmetry.toPrecision(3)})`;
  if (undefinedInside > 0) {
    const x = inside.find((y) => !Number.isFinite(y.d)) as { pair: Pair; d: number };
    return {
      id: 'divergence',
      verdict: 'inconclusive',
      summary: `D(p, q) is ${x.d} at p = ${show(x.pair[0])}, q = ${show(x.pair[1])}, inside the simplex (${undefinedInside} of ${inside.length} pairs), so D >= 0 cannot be decided there`,
      metrics,
      witness: witness(x),
      cite: CITE,
    };
  }
  return {
    id: 'divergence',
    verdict: 'pass',
    summary: `a divergence: D >= 0, D(p, p) = 0 and D(p, q) > 0 for p != q at ${inside.length + diag.length} pairs; ${symmetryText}; ${bounds}`,
    metrics,
    cite: CITE,
  };
}

export const divergenceCheck: Check = {
  id: 'divergence',
  title: 'Divergence',
  applies: (kind) => kind === 'distribution',
  run: checkDivergence,
};
