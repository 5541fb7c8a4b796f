/**
 * How a quantity behaves toward the edge of the domain, from its values on the geometric tail
 * of a ray (edge e = |z|, 1/p, r, 1/ε, each step e -> 10^(1/4) e): it settles to a limit (the
 * increments vanish, or shrink geometrically and are summed), it diverges (the increments do not
 * shrink: logarithmic, power-law or exponential growth, named with its rate), or the tail does not
 * say (increments that shrink too slowly to tell): never a guess either way.
 */
export type Tail =
  | { readonly kind: 'limit'; readonly value: number }
  | {
      readonly kind: 'diverges';
      readonly sign: 1 | -1;
      /** 'logarithmically in 1/p', 'like |z|^1', 'exponentially in |z| (rate 1)'. */
      readonly rate: string;
      /** For ranking: 0 logarithmic, k for a power k, Infinity exponential. */
      readonly order: number;
    }
  | { readonly kind: 'undecided'; readonly reason: string };

/** Whether growth a is clearly faster than growth b (power estimates differ in their last digits). */
export function fasterThan(a: { readonly order: number }, b: { readonly order: number }): boolean {
  return a.order > b.order + 0.01;
}

const SETTLED = 1e-12;
const MAX_POWER = 8;

function formatNumber(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/** The rate of growth of |m| between the last two points of a tail. */
function rateOf(e: readonly number[], m: readonly number[], edgeName: string): { rate: string; order: number } {
  const n = m.length;
  const [e1, e2] = [e[n - 2] as number, e[n - 1] as number];
  const [m0, m1, m2] = [Math.abs(m[n - 3] as number), Math.abs(m[n - 2] as number), Math.abs(m[n - 1] as number)];
  const ratio = (m2 - m1) / (m1 - m0);
  if (ratio > 0.9 && ratio < 1.15) return { rate: `logarithmically in ${edgeName}`, order: 0 };
  const power = Math.log(m2 / m1) / Math.log(e2 / e1);
  const base = /^\|?\w+\|?$/.test(edgeName) ? edgeName : `(${edgeName})`;
  if (power <= MAX_POWER) return { rate: `like ${base}^${formatNumber(power)}`, order: power };
  return { rate: `exponentially in ${edgeName} (rate ${formatNumber(Math.log(m2 / m1) / (e2 - e1))})`, order: Infinity };
}

/** The behaviour of `values` (NaN where undefined) as `edge` grows; `edge` is increasing. */
export function tailOf(edge: readonly number[], values: readonly number[], edgeName: string): Tail {
  const e: number[] = [];
  const m: number[] = [];
  values.forEach((v, i) => {
    if (!Number.isNaN(v)) {
      e.push(edge[i] as number);
      m.push(v);
    }
  });
  const last = m[m.length - 1];
  if (last === undefined) return { kind: 'undecided', reason: 'the loss is not defined toward the edge' };
  if (!Number.isFinite(last)) {
    // Beyond the float64 range after a run of finite values growing toward it: diverges, at the
    // rate of that run. An overflow with no such run (log(z) at z = 0) says nothing of a trend.
    const sign = last > 0 ? 1 : -1;
    const end = m.findIndex((x) => !Number.isFinite(x));
    const run = m.slice(Math.max(0, end - 3), end);
    const growing = run.length === 3 && run.every((x, i) => i === 0 || sign * x > sign * (run[i - 1] as number));
    if (!growing)
      return { kind: 'undecided', reason: `the loss overflows toward the edge (${edgeName} = ${formatNumber(e[end] as number)}) without a trend before it` };
    return { kind: 'diverges', sign, ...rateOf(e.slice(0, end), m.slice(0, end), edgeName) };
  }
  if (m.length < 4) return { kind: 'undecided', reason: 'too few points toward the edge' };
  const n = m.length;
  const [m0, m1, m2, m3] = m.slice(n - 4) as [number, number, number, number];
  const [d1, d2, d3] = [m1 - m0, m2 - m1, m3 - m2];
  const motion = Math.max(Math.abs(d2), Math.abs(d3));
  // Settled; a value no larger than its own last moves is 0 (l'(z) = -2/z^3 at z = 1e6).
  if (motion <= SETTLED * (1 + Math.abs(m3))) return { kind: 'limit', value: Math.abs(m3) <= 10 * motion ? 0 : m3 + 0 };
  const sameSign = Math.sign(d1) === Math.sign(d2) && Math.sign(d2) === Math.sign(d3);
  if (sameSign && Math.abs(d3) >= 0.9 * Math.abs(d2) && Math.abs(d2) >= 0.9 * Math.abs(d1)) {
    return { kind: 'diverges', sign: d3 > 0 ? 1 : -1, ...rateOf(e, m, edgeName) };
  }
  if (sameSign && Math.abs(d3) <= 0.8 * Math.abs(d2) && Math.abs(d2) <= 0.8 * Math.abs(d1)) {
    // Geometrically shrinking increments: the limit is the last value plus the rest of the series;
    // a limit far below the values it comes from is 0 up to rounding (l'(z) = 1/(1 + z)^2 -> 0).
    const rho = d3 / d2;
    const limit = m3 + (d3 * rho) / (1 - rho);
    return { kind: 'limit', value: Math.abs(limit) <= 1e-4 * Math.max(Math.abs(m0), Math.abs(m3)) ? 0 : limit + 0 };
  }
  return {
    kind: 'undecided',
    reason: `it still changes by ${formatNumber(d3)} at ${edgeName} = ${formatNumber(e[n - 1] as number)}, without a trend that settles or grows`,
  };
}
