/**
 * The float32 tolerance of the differential tests. A fused-kernel entry agrees with the float64
 * reference when it is within RELATIVE of it plus ABSOLUTE. Where float32 cannot get that close
 * (an ill-conditioned formula at an extreme input), it must be no further from the reference than
 * float32 arithmetic is expected to be: within FACTOR times the largest error of the yardsticks,
 * TensorFlow.js's own float32 result and Monte Carlo float32 runs of the formula (perturbed.ts).
 * A non-finite kernel entry passes only where a yardstick is non-finite too. Entries whose float64
 * value is not finite in float32 are not compared (the stability check skips them as well).
 */
export const RELATIVE = 1e-4;
export const ABSOLUTE = 1e-6;
export const FACTOR = 4;
const FLOAT32_MAX = 3.4028234663852886e38;

export interface Disagreement {
  readonly index: number;
  readonly fused: number;
  readonly reference: number;
  readonly tfjs: number;
}

export interface Agreement {
  readonly compared: number;
  /** Entries that passed only by the yardstick rule. */
  readonly byYardstick: number;
  readonly disagreements: readonly Disagreement[];
}

/** `yardsticks[0]` is tfjs's column, the rest Monte Carlo float32 runs. */
export function compareColumns(fused: ArrayLike<number>, reference: ArrayLike<number>, yardsticks: readonly ArrayLike<number>[]): Agreement {
  let compared = 0;
  let byYardstick = 0;
  const disagreements: Disagreement[] = [];
  for (let i = 0; i < reference.length; i++) {
    const want = reference[i] as number;
    if (!Number.isFinite(want) || Math.abs(want) > FLOAT32_MAX) continue;
    compared++;
    const got = fused[i] as number;
    const tolerance = RELATIVE * Math.abs(want) + ABSOLUTE;
    const error = Math.abs(got - want);
    if (error <= tolerance) continue;
    // A non-finite yardstick says float32 cannot evaluate the formula here at all.
    const expected = Math.max(...yardsticks.map((y) => (Number.isFinite(y[i]) ? Math.abs((y[i] as number) - want) : Infinity)));
    const passes = Number.isFinite(got) ? error <= FACTOR * expected + tolerance : !Number.isFinite(expected);
    if (passes) byYardstick++;
    else disagreements.push({ index: i, fused: got, reference: want, tfjs: (yardsticks[0] as ArrayLike<number>)[i] as number });
  }
  return { compared, byYardstick, disagreements };
}
