/**
 * bounded: whether the loss is bounded above and below over its domain (labels held), with its
 * infimum and supremum (metrics `inf`, `sup`, where finite) and, for a loss of one real variable,
 * its asymptotic slopes (`slope@-inf`, `slope@+inf`). Condition: the loss along rays to the edge
 * of the domain settles; a loss that keeps growing (or falling) fails, with its rate. Bounded
 * losses limit the pull of outliers: Masnadi-Shirazi & Vasconcelos, "On the Design of Loss
 * Functions for Classification" (NIPS 2008).
 */
import type { Check, CheckContext } from './context';
import { describePoint, pointOn, pointsIn, raysThrough, variablesOf, type Line, type Ray } from './domain';
import { supremumOf, type Supremum } from './extremes';
import { fasterThan, tailOf, type Tail } from './growth';
import type { CheckResult } from './report';
import { evaluateSections, gridPoints, sectionNodes } from './sections';

const CITE = '"On the Design of Loss Functions for Classification: theory, robustness to outliers, and SavageBoost" (Masnadi-Shirazi & Vasconcelos, NIPS 2008)';
const num = (x: number) => String(Number(x.toPrecision(6)));

/** Where the loss diverges: toward the edge along ray `l`, or toward a pole (l = -1, witness `near`). */
type Diverging = { towards: string; l: number; near?: Readonly<Record<string, number | number[]>>; tail: Extract<Tail, { kind: 'diverges' }> };

async function checkBounded({ loss, params }: CheckContext): Promise<CheckResult> {
  const nodes = sectionNodes(loss);
  const rays = raysThrough(loss, 31);
  const lines: Line[] = [...rays, ...pointsIn(loss, 32, 32)];
  const { points, offsets } = gridPoints(lines);
  const [value, first] = evaluateSections(loss, params, points, [nodes.value, nodes.first]) as [Float64Array, Float64Array];
  const along = (a: Float64Array, l: number) => Array.from(a.subarray(offsets[l] as number, (offsets[l] as number) + (lines[l] as Line).ts.length));
  const tails = rays.map((ray, l) => tailOf(ray.edge, along(value, l), ray.edgeName));
  const metrics: Record<string, number> = { rays: rays.length, points: points.length };
  Object.assign(
    metrics,
    asymptoticSlopes(loss, rays, (l) => along(first, l)),
  );

  // Overflow to +-Infinity is growth; only the finite values bound the loss.
  const finite = value.map((v) => (Number.isFinite(v) ? v : NaN));
  const samples = (sign: 1 | -1) => ({
    lines,
    rayCount: rays.length,
    offsets,
    q: finite.map((v) => sign * v),
    dq: first.map((d) => sign * d),
    tails: tails.map((t): Tail => (t.kind === 'limit' ? { kind: 'limit', value: sign * t.value } : t)),
  });
  const sup = supremumOf(loss, params, samples(1), nodes.value, (x) => x, 1);
  const negInf = supremumOf(loss, params, samples(-1), nodes.value, (x) => -x, -1);
  if (!sup || !negInf) return { id: 'bounded', verdict: 'inconclusive', summary: 'the loss is not finite anywhere in its domain', metrics, cite: CITE };
  // + 0: an infimum of 0 would read -0.
  const inf: Supremum = { ...negInf, value: -negInf.value + 0 };

  const diverging = (sign: 1 | -1) =>
    tails
      .map((tail, l) => ({ towards: (rays[l] as Ray).towards, l, tail }))
      .filter((d): d is Diverging => d.tail.kind === 'diverges' && d.tail.sign === sign)
      .reduce<Diverging | undefined>((a, b) => (!a || fasterThan(b.tail, a.tail) ? b : a), undefined);
  // A pole inside the domain (1/z at 0) is a divergence too, toward the point rather than the edge.
  const pole = (e: Supremum, sign: 1 | -1): Diverging | undefined =>
    e.blowsUp && { towards: describePoint(e.blowsUp.near, '→'), l: -1, near: e.blowsUp.near, tail: { kind: 'diverges', sign, rate: e.blowsUp.rate, order: 0 } };
  const up = diverging(1) ?? pole(sup, 1);
  const down = diverging(-1) ?? pole(negInf, -1);
  if (!up) metrics.sup = sup.value;
  if (!down) metrics.inf = inf.value;
  /** The witness of a divergence: the last finite value on its ray, or the pole. */
  const witnessOf = (d: Diverging) => {
    if (d.near) return { ...d.near };
    const vs = along(value, d.l);
    let i = vs.length - 1;
    while (i > 0 && !Number.isFinite(vs[i])) i--;
    const ray = rays[d.l] as Ray;
    return { ...pointOn(ray, ray.ts[i] as number), value: vs[i] as number };
  };
  const slopes = 'slope@-inf' in metrics || 'slope@+inf' in metrics ? `; slopes ${slopeText(metrics)}` : '';
  if (up || down) {
    const worst = (up ?? down) as Diverging;
    const side = (d: Diverging | undefined, word: string, other: Supremum, otherWord: string) =>
      d
        ? `unbounded ${word}: the loss ${d.tail.sign > 0 ? 'grows' : 'falls'} ${d.tail.rate} as ${d.towards}`
        : `${otherWord} ${num(other.value)} ${reach(other)}`;
    return {
      id: 'bounded',
      verdict: 'fail',
      summary: `${side(up, 'above', sup, 'supremum')}; ${side(down, 'below', inf, 'infimum')}${slopes}`,
      metrics,
      witness: { ...witnessOf(worst), growth: worst.tail.rate, towards: worst.towards },
      cite: CITE,
    };
  }
  const undecided = tails.findIndex((t) => t.kind === 'undecided');
  if (undecided >= 0) {
    return {
      id: 'bounded',
      verdict: 'inconclusive',
      summary: `the loss neither settles nor grows as ${(rays[undecided] as Ray).towards}: ${(tails[undecided] as { reason: string }).reason}`,
      metrics,
      cite: CITE,
    };
  }
  return {
    id: 'bounded',
    verdict: 'pass',
    summary: `bounded, in [${num(inf.value)}, ${num(sup.value)}]: the infimum ${reach(inf)}, the supremum ${reach(sup)}${slopes}`,
    metrics,
    witness: { ...prefixed('inf_at', inf), ...prefixed('sup_at', sup) },
    cite: CITE,
  };
}

function reach(s: Supremum): string {
  return s.approached ? `approached as ${s.approached.towards}` : `attained at ${describePoint(pointOn(s.line, s.t))}`;
}

/** Witness entries for where an extremum is: the point, or the ray it is approached along. */
function prefixed(prefix: string, s: Supremum): Record<string, number | string | number[]> {
  if (s.approached) return { [prefix]: s.approached.towards };
  return Object.fromEntries(Object.entries(pointOn(s.line, s.t)).map(([k, v]) => [`${prefix}_${k}`, v]));
}

function slopeText(metrics: Readonly<Record<string, number>>): string {
  const part = (key: string, at: string) => (key in metrics ? `${num(metrics[key] as number)} at ${at}` : undefined);
  return [part('slope@-inf', '-∞'), part('slope@+inf', '+∞')].filter((x) => x !== undefined).join(', ');
}

/**
 * For a loss of one real variable: lim l'(z) at -∞ and +∞, where l' settles, and the same for
 * every held label (a regression target shifts the loss but not its slopes).
 */
function asymptoticSlopes(loss: CheckContext['loss'], rays: readonly Ray[], derivative: (l: number) => number[]): Record<string, number> {
  const vars = variablesOf(loss);
  if (vars.length !== 1 || vars[0]?.role !== 'real') return {};
  const name = vars[0].name;
  const out: Record<string, number> = {};
  for (const [key, dir] of [
    ['slope@-inf', -1],
    ['slope@+inf', 1],
  ] as const) {
    const limits = rays.flatMap((ray, l) => {
      if ((ray.direction[name] as readonly number[])[0] !== dir) return [];
      // Along the ray t = |z|, so dl/dz = dir * dl/dt.
      const tail = tailOf(
        ray.edge,
        derivative(l).map((d) => dir * d),
        ray.edgeName,
      );
      return [tail.kind === 'limit' ? tail.value : NaN];
    });
    const [a] = limits;
    if (a !== undefined && Number.isFinite(a) && limits.every((b) => Math.abs(b - a) <= 1e-9 * (1 + Math.abs(a)))) out[key] = a;
  }
  return out;
}

export const boundedCheck: Check = { id: 'bounded', title: 'Boundedness', applies: () => true, run: checkBounded };
