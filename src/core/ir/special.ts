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

// ---- log-gamma and the polygamma functions -------------------------------------------------

const EULER_GAMMA = 0.5772156649015329;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
/** Bernoulli numbers B_2, B_4, ..., B_20. */
const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330];

/** zeta(k) for k = 2..63: the sum to N with the Euler-Maclaurin tail, exact to double precision. */
const ZETA: readonly number[] = (() => {
  const N = 50;
  // zeta(2), zeta(3), zeta(4) exactly; the tail's next term would be 1e-14 at k = 2.
  const out: number[] = [NaN, NaN, Math.PI ** 2 / 6, 1.2020569031595942, Math.PI ** 4 / 90];
  for (let k = 5; k < 64; k++) {
    let sum = 0;
    for (let n = N - 1; n >= 1; n--) sum += n ** -k;
    // Tail from N: N^(1-k)/(k-1) + N^-k/2 + k N^(-k-1)/12 - k(k+1)(k+2) N^(-k-3)/720.
    sum += N ** (1 - k) / (k - 1) + N ** -k / 2 + (k * N ** (-k - 1)) / 12 - (k * (k + 1) * (k + 2) * N ** (-k - 3)) / 720;
    out.push(sum);
  }
  return out;
})();

/** sin(pi x) without the rounding of pi x: x reduced to [-1/2, 1/2] first (exact in binary). */
function sinPi(x: number): number {
  const n = Math.round(x);
  const s = Math.sin(Math.PI * (x - n));
  return n % 2 === 0 ? s : -s;
}

function cosPi(x: number): number {
  return sinPi(x + 0.5);
}

/** log Gamma(1 + e) for |e| <= 1/2: -gamma e + sum_k (-1)^k zeta(k) e^k / k (A&S 6.1.33). */
function logGammaNearOne(e: number): number {
  let sum = 0;
  // (-e)^k, starting from k = 1.
  let power = -e;
  for (let k = 2; k < 64; k++) {
    power *= -e;
    sum += ((ZETA[k] as number) * power) / k;
  }
  return -EULER_GAMMA * e + sum;
}

/**
 * log |Gamma(x)|, as C's lgamma and PyTorch's torch.lgamma: +inf at 0 and the negative integers.
 * Near 1 and 2, where it is 0, by its series there, so that it is accurate relative to its size;
 * above, by the recurrence down to [1.5, 2.5) and, from 12, by Stirling's series (A&S 6.1.40);
 * below 1/2, by the reflection log(pi / |sin(pi x)|) - log Gamma(1 - x).
 */
export function logGamma64(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(sinPi(x))) - logGamma64(1 - x);
  if (x < 1.5) return logGammaNearOne(x - 1);
  if (x < 2.5) return logGammaNearOne(x - 2) + Math.log1p(x - 2);
  if (x < 12) {
    let y = x;
    let product = 1;
    while (y >= 2.5) {
      y -= 1;
      product *= y;
    }
    return Math.log(product) + logGamma64(y);
  }
  let series = 0;
  for (let k = 1; k <= 7; k++) series += (BERNOULLI[k - 1] as number) / (2 * k * (2 * k - 1) * x ** (2 * k - 1));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/**
 * The polygamma function psi^(n)(x), the n-th derivative of the digamma psi = Gamma'/Gamma, for a
 * whole n >= 0 (NaN otherwise), as torch.polygamma: by the recurrence up to x >= 10 + n, then
 * the asymptotic series with Bernoulli numbers (A&S 6.4.11, and 6.3.18 for n = 0); for the
 * digamma below 0, the reflection psi(x) = psi(1 - x) - pi cot(pi x). At 0 and the negative
 * integers (poles): psi(0) = -inf as PyTorch gives, psi^(n) = +inf for odd n, NaN otherwise.
 */
export function polygamma64(n: number, x: number): number {
  if (!(Number.isInteger(n) && n >= 0) || Number.isNaN(x)) return NaN;
  if (x <= 0 && Number.isInteger(x)) return n === 0 ? (x === 0 ? -Infinity : NaN) : n % 2 === 1 ? Infinity : NaN;
  if (x === Infinity) return n === 0 ? Infinity : 0;
  if (x === -Infinity) return NaN;
  if (n === 0 && x < 0) return polygamma64(0, 1 - x) - (Math.PI * cosPi(x)) / sinPi(x);
  // psi^(n)(x) = psi^(n)(x + 1) - (-1)^n n! / x^(n+1), shifted up until the series converges.
  const sign = n % 2 === 0 ? -1 : 1;
  const nFactorial = factorial(n);
  const start = 10 + n;
  if (start - x > 1e6) return NaN;
  let shift = 0;
  let y = x;
  while (y < start) {
    shift += n === 0 ? 1 / y : 1 / y ** (n + 1);
    y += 1;
  }
  let asymptotic: number;
  if (n === 0) {
    asymptotic = Math.log(y) - 1 / (2 * y);
    for (let k = 1; k <= 10; k++) asymptotic -= (BERNOULLI[k - 1] as number) / (2 * k * y ** (2 * k));
  } else {
    let series = factorial(n - 1) / y ** n + nFactorial / (2 * y ** (n + 1));
    for (let k = 1; k <= 10; k++) series += ((BERNOULLI[k - 1] as number) * factorial(2 * k + n - 1)) / (factorial(2 * k) * y ** (2 * k + n));
    asymptotic = sign * series;
  }
  return n === 0 ? asymptotic - shift : asymptotic + sign * nFactorial * shift;
}
