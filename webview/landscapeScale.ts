/**
 * The landscape's colour scale: from the least value (0) to the greatest (1), linear near the
 * bottom and logarithmic above the median, t = log(1 + (v - min)/s) / log(1 + (max - min)/s)
 * with s the median's height above the minimum. A landscape's walls (focal loss at p → 0)
 * would otherwise take every colour and leave the basin one flat shade. Contour levels are
 * even in t, so they are as dense in the basin as on the walls.
 */
export interface ValueScale {
  readonly min: number;
  readonly max: number;
  toUnit(v: number): number;
  fromUnit(t: number): number;
}

export function valueScale(values: ArrayLike<number>, min: number, max: number): ValueScale {
  const spread = max - min;
  if (!(spread > 0)) return { min, max, toUnit: () => 0.5, fromUnit: () => min };
  const finite = Float64Array.from(Array.prototype.filter.call(values, Number.isFinite) as number[]).sort();
  const median = finite[Math.floor(finite.length / 2)] ?? min;
  const s = Math.max(median - min, spread * 1e-6);
  const top = Math.log1p(spread / s);
  return {
    min,
    max,
    toUnit: (v) => Math.min(1, Math.max(0, Math.log1p((v - min) / s) / top)),
    fromUnit: (t) => min + s * Math.expm1(t * top),
  };
}
