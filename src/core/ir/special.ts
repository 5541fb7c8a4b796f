/**
 * Float64 special functions that JavaScript's Math lacks, for the reference executor and for
 * the coefficients of the float32 kernels (kernel/simdMath.ts).
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * The error function to about 1 ulp. Below |x| = 3, the series of Abramowitz and Stegun 7.1.6,
 * erf x = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1 3 5 ... (2n+1)), whose terms are all
 * positive (no cancellation, unlike the alternating Taylor series); beyond, 1 - erfc x with erfc
 * from its continued fraction (A&S 7.1.14), which converges fast there and is below 2.3e-5.
 */
export function erf64(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 0; term > sum * 1e-17; n++) {
      term *= (2 * a * a) / (2 * n + 3);
      sum += term;
    }
    return Math.sign(x) * TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum;
  }
  if (a > 6) return Math.sign(x);
  return Math.sign(x) * (1 - erfcContinuedFraction(a));
}

/** erfc x for x >= 3: e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), by Lentz's method. */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 200; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
