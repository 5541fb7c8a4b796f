/**
 * Vectorised elementary functions on four float32 lanes, as WebAssembly instruction sequences:
 * range reduction, then a polynomial. Coefficients are Taylor coefficients (exact reciprocals of
 * factorials and odd integers), taken to enough terms that truncation is below 2^-26 relative, so
 * the error is the rounding of a few float32 operations. Error bounds, measured against float64
 * `Math` over the whole float32 range by test/unit/kernel/simdMath.test.ts:
 *
 *   exp       2 ulps (1.14 measured)      log1p     5 ulps (3.55)     sigmoid   3 ulps (2.09)
 *   log       3 ulps (2.32)               expm1     3 ulps (1.76)     softplus  5 ulps (3.59)
 *   tanh      3 ulps (2.52)               pow       2 ulps (1.17): b log2|a| in float64x2 (~1e-15
 *                                                   relative), 2^r and the scaling in float32
 *   sinh      4 ulps (2.58)               cosh      3 ulps (1.77)     atan      3 ulps (2.65)
 *   atan2     4 ulps (3.01)               asin      4 ulps (3.42)     acos      3 ulps (2.52)
 *   erf       3 ulps (2.61): Taylor below 1, then Chebyshev interpolants of the float64 erf
 *
 * (An ulp is that of the float64 result rounded to float32, and 2^-149 below the normal range.)
 * Special values follow IEEE 754 and JavaScript's Math: NaN in gives NaN out, exp(inf) = inf,
 * log(0) = -inf, log(x < 0) = NaN, pow follows Math.pow's table (pow(x, 0) = 1, pow(1, NaN) = NaN).
 */
import { f32x4, f64x2, i32x4, i64x2, type Lanes, type Value } from './lanes';
import { erf64 } from '../ir/special';
import type { Local } from './wasmBinary';

const LOG2E = Math.LOG2E;
/** ln 2 = LN2_HI + LN2_LO with LN2_HI short (9 bits), so k LN2_HI is exact for |k| < 2^15 (Cody and Waite). */
const LN2_HI = 0.693359375;
const LN2_LO = -2.1219444e-4;
const SQRT2 = Math.SQRT2;
const SIGN_BIT = -0x80000000;

const reciprocalFactorials = (n: number): number[] => {
  const out = [1];
  for (let k = 1; k < n; k++) out.push((out[k - 1] as number) / k);
  return out;
};
/** 1 + z/3 + z^2/5 + ...: atanh(s) = s * this at z = s^2. */
const atanhSeries = (n: number): number[] => Array.from({ length: n }, (_, k) => 1 / (2 * k + 1));

/** 2^k for integer lanes k in [-126, 127], built in the exponent field. */
function powerOfTwo(L: Lanes, k: Value): Local {
  return L.shift('i32x4.shl', L.bin('i32x4.add', k, i32x4(127)), 23);
}

/** x - k ln 2 with k = round(x / ln 2): |r| <= ln(2) / 2. */
function reduce(L: Lanes, x: Value): { k: Local; r: Local } {
  const k = L.un('f32x4.nearest', L.bin('f32x4.mul', x, f32x4(LOG2E)));
  const r = L.bin('f32x4.sub', L.bin('f32x4.sub', x, L.bin('f32x4.mul', k, f32x4(LN2_HI))), L.bin('f32x4.mul', k, f32x4(LN2_LO)));
  return { k: L.un('i32x4.trunc_sat_f32x4_s', k), r };
}

/** p 2^k for k in [-252, 254], in two steps so neither factor leaves the normal range. */
function scaleByPowerOfTwo(L: Lanes, p: Value, k: Value): Local {
  const k1 = L.shift('i32x4.shr_s', k, 1);
  const k2 = L.bin('i32x4.sub', k, k1);
  return L.bin('f32x4.mul', L.bin('f32x4.mul', p, powerOfTwo(L, k1)), powerOfTwo(L, k2));
}

export function exp(L: Lanes, x: Value): Local {
  // Past these, e^x is inf or below half the smallest subnormal; min/max keep NaN.
  const xc = L.bin('f32x4.max', L.bin('f32x4.min', x, f32x4(89)), f32x4(-104));
  const { k, r } = reduce(L, xc);
  return scaleByPowerOfTwo(L, L.polynomial(r, reciprocalFactorials(8), 'f32'), k);
}

/** e^x - 1 = 2^k (e^r - 1) + (2^k - 1): the small part e^r - 1 by its own series, so nothing cancels. */
export function expm1(L: Lanes, x: Value): Local {
  // Below -18, e^x - 1 rounds to -1 in float32; above 88.8 it overflows.
  const xc = L.bin('f32x4.max', L.bin('f32x4.min', x, f32x4(88.8)), f32x4(-18));
  const { k, r } = reduce(L, xc);
  const em = L.bin('f32x4.mul', r, L.polynomial(r, reciprocalFactorials(10).slice(1), 'f32'));
  const t = powerOfTwo(L, L.bin('i32x4.min_s', k, i32x4(24)));
  const small = L.bin('f32x4.add', L.bin('f32x4.mul', em, t), L.bin('f32x4.sub', t, f32x4(1)));
  // For k > 24, 2^k - 1 is 2^k in float32: plain e^x - 1.
  const big = L.bin('f32x4.sub', scaleByPowerOfTwo(L, L.bin('f32x4.add', em, f32x4(1)), k), f32x4(1));
  return L.select(L.bin('i32x4.gt_s', k, i32x4(24)), big, small);
}

/** log x = e ln 2 + 2 atanh((f - 1) / (f + 1)) with x = f 2^e, f in [sqrt(1/2), sqrt(2)). */
export function log(L: Lanes, x: Value): Local {
  // Subnormals are scaled into the normal range first.
  const tiny = L.bin('f32x4.lt', x, f32x4(2 ** -126));
  const m = L.select(tiny, L.bin('f32x4.mul', x, f32x4(2 ** 23)), x);
  const biased = L.bin('i32x4.sub', L.shift('i32x4.shr_s', m, 23), i32x4(127));
  const e0 = L.bin('i32x4.sub', biased, L.bin('v128.and', tiny, i32x4(23)));
  const f0 = L.bin('v128.or', L.bin('v128.and', m, i32x4(0x007fffff)), i32x4(0x3f800000));
  const big = L.bin('f32x4.gt', f0, f32x4(SQRT2));
  const f = L.select(big, L.bin('f32x4.mul', f0, f32x4(0.5)), f0);
  const e = L.un('f32x4.convert_i32x4_s', L.bin('i32x4.sub', e0, big));
  const s = L.bin('f32x4.div', L.bin('f32x4.sub', f, f32x4(1)), L.bin('f32x4.add', f, f32x4(1)));
  const twoS = L.bin('f32x4.add', s, s);
  const series = L.bin('f32x4.mul', twoS, L.polynomial(L.bin('f32x4.mul', s, s), atanhSeries(6), 'f32'));
  const core = L.bin('f32x4.add', L.bin('f32x4.add', L.bin('f32x4.mul', e, f32x4(LN2_LO)), series), L.bin('f32x4.mul', e, f32x4(LN2_HI)));
  const atInf = L.select(L.bin('f32x4.eq', x, f32x4(Infinity)), f32x4(Infinity), core);
  const atZero = L.select(L.bin('f32x4.eq', x, f32x4(0)), f32x4(-Infinity), atInf);
  // x >= 0 is false for negatives and NaN: both give NaN.
  return L.select(L.bin('f32x4.ge', x, f32x4(0)), atZero, f32x4(NaN));
}

/** Goldberg's log1p: log(u) x / (u - 1) with u = 1 + x corrects the rounding of u (a few ulps). */
export function log1p(L: Lanes, x: Value): Local {
  const u = L.bin('f32x4.add', x, f32x4(1));
  const d = L.bin('f32x4.sub', u, f32x4(1));
  const lu = log(L, u);
  const corrected = L.select(L.bin('f32x4.eq', d, f32x4(0)), x, L.bin('f32x4.mul', lu, L.bin('f32x4.div', x, d)));
  return L.select(L.bin('f32x4.eq', u, f32x4(Infinity)), lu, corrected);
}

/**
 * tanh |x| = u / (u + 2) with u = expm1(2|x|), and the sign of x. Near 0 nothing cancels; near 1
 * the error of u hardly moves the quotient, so 1 - tanh^2 in a second derivative keeps its digits.
 * Past |x| = 9, tanh rounds to 1 in float32 (and u would overflow later).
 */
export function tanh(L: Lanes, x: Value): Local {
  const a = L.bin('f32x4.min', L.un('f32x4.abs', x), f32x4(9));
  const u = expm1(L, L.bin('f32x4.add', a, a));
  const magnitude = L.bin('f32x4.div', u, L.bin('f32x4.add', u, f32x4(2)));
  return L.select(i32x4(SIGN_BIT), x, magnitude);
}

/** Through e^-|x| so neither branch overflows, as the float64 rule does. */
export function sigmoid(L: Lanes, x: Value): Local {
  const e = exp(L, L.un('f32x4.neg', L.un('f32x4.abs', x)));
  const d = L.bin('f32x4.add', e, f32x4(1));
  return L.select(L.bin('f32x4.ge', x, f32x4(0)), L.bin('f32x4.div', f32x4(1), d), L.bin('f32x4.div', e, d));
}

/** max(x, 0) + log1p(e^-|x|): the float64 rule's stable form. */
export function softplus(L: Lanes, x: Value): Local {
  const e = exp(L, L.un('f32x4.neg', L.un('f32x4.abs', x)));
  return L.bin('f32x4.add', L.bin('f32x4.max', x, f32x4(0)), log1p(L, e));
}

// ---- pow, in float64 lanes --------------------------------------------------------------

const F64_EXPONENT_SHIFT = 52;
const F64_MANTISSA = 0x000fffffffffffffn;
const F64_ONE_BITS = 0x3ff0000000000000n;
/** 1.5 2^52: adding a small integer to its bits and subtracting it as a double converts i64 to f64. */
const INT_TO_DOUBLE = 0x4338000000000000n;

/** log2 |a| for two float64 lanes, to about 1e-16 relative; -inf at 0, inf at inf, NaN at NaN. */
function log2Abs64(L: Lanes, a: Value): Local {
  const abs = L.un('f64x2.abs', a);
  const e0 = L.bin('i64x2.sub', L.shift('i64x2.shr_u', abs, F64_EXPONENT_SHIFT), i64x2(1023n));
  const m0 = L.bin('v128.or', L.bin('v128.and', abs, i64x2(F64_MANTISSA)), i64x2(F64_ONE_BITS));
  const big = L.bin('f64x2.gt', m0, f64x2(SQRT2));
  const m = L.select(big, L.bin('f64x2.mul', m0, f64x2(0.5)), m0);
  const e = L.bin('f64x2.sub', L.bin('i64x2.add', L.bin('i64x2.sub', e0, big), i64x2(INT_TO_DOUBLE)), f64x2(1.5 * 2 ** 52));
  const s = L.bin('f64x2.div', L.bin('f64x2.sub', m, f64x2(1)), L.bin('f64x2.add', m, f64x2(1)));
  const lnM = L.bin('f64x2.mul', L.bin('f64x2.add', s, s), L.polynomial(L.bin('f64x2.mul', s, s), atanhSeries(7), 'f64'));
  const core = L.bin('f64x2.add', L.bin('f64x2.mul', lnM, f64x2(LOG2E)), e);
  const atZero = L.select(L.bin('f64x2.eq', abs, f64x2(0)), f64x2(-Infinity), core);
  const atInf = L.select(L.bin('f64x2.eq', abs, f64x2(Infinity)), f64x2(Infinity), atZero);
  return L.select(L.bin('f64x2.eq', abs, abs), atInf, abs);
}

/** k and r = y - k with k = round(y), for two float64 lanes of y clamped to +-200 (beyond float32's range). */
function splitExponent64(L: Lanes, y: Value): { k: Local; r: Local } {
  const yc = L.bin('f64x2.max', L.bin('f64x2.min', y, f64x2(200)), f64x2(-200));
  const k = L.un('f64x2.nearest', yc);
  return { k, r: L.bin('f64x2.sub', yc, k) };
}

/** Lanes 2 and 3 of a float32 vector moved to lanes 0 and 1. */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
/** Lanes 0 and 1 of the first vector, then lanes 0 and 1 of the second. */
const JOIN_LOW_HALVES = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

/** 2^r for |r| <= 1/2: the series of e^(r ln 2), its coefficients ln(2)^n / n! in float32. */
const EXP2_SERIES = reciprocalFactorials(8).map((c, n) => c * Math.LN2 ** n);

/**
 * Math.pow on four float32 lanes. y = b log2 |a| is formed in float64 (two lanes at a time), where
 * it is exact enough that splitting it as k + r loses nothing; 2^r and the scaling by 2^k run on
 * all four lanes in float32; then the sign and the special cases of Math.pow's table.
 */
export function pow(L: Lanes, a: Value, b: Value): Local {
  const half = (v: Value, high: boolean): Local => L.un('f64x2.promote_low_f32x4', high ? L.shuffle(v, v, HIGH_HALF) : v);
  const join = (lo: Value, hi: Value): Local => L.shuffle(L.un('f32x4.demote_f64x2_zero', lo), L.un('f32x4.demote_f64x2_zero', hi), JOIN_LOW_HALVES);
  const low = splitExponent64(L, L.bin('f64x2.mul', half(b, false), log2Abs64(L, half(a, false))));
  const high = splitExponent64(L, L.bin('f64x2.mul', half(b, true), log2Abs64(L, half(a, true))));
  const k = L.un('i32x4.trunc_sat_f32x4_s', join(low.k, high.k));
  const magnitude = scaleByPowerOfTwo(L, L.polynomial(join(low.r, high.r), EXP2_SERIES, 'f32'), k);
  const bInteger = L.bin('f32x4.eq', L.un('f32x4.trunc', b), b);
  const halfB = L.bin('f32x4.mul', b, f32x4(0.5));
  const odd = L.bin('v128.and', bInteger, L.bin('f32x4.ne', L.un('f32x4.trunc', halfB), halfB));
  // A negative base (and -0) to an odd power is negative.
  const negative = L.bin('v128.and', L.shift('i32x4.shr_s', a, 31), odd);
  const signed = L.bin('v128.xor', magnitude, L.bin('v128.and', negative, i32x4(SIGN_BIT)));
  // A finite negative base to a non-integer power is not real.
  const finiteNegative = L.bin('v128.and', L.bin('f32x4.lt', a, f32x4(0)), L.bin('f32x4.ne', a, f32x4(-Infinity)));
  const real = L.select(L.bin('v128.andnot', finiteNegative, bInteger), f32x4(NaN), signed);
  return L.select(L.bin('f32x4.eq', b, f32x4(0)), f32x4(1), real);
}

// ---- hyperbolic, inverse trigonometric and error functions -----------------------------------

/** pi/2 and pi/4 as a float32 head and the rest, so that pi/2 - t keeps t's digits. */
const PI_2_HI = Math.fround(Math.PI / 2);
const PI_2_LO = Math.PI / 2 - PI_2_HI;
const PI_HI = Math.fround(Math.PI);
const PI_LO = Math.PI - PI_HI;
const PI_4 = Math.PI / 4;
export const TAN_PI_8 = Math.SQRT2 - 1;
/** atan u = u (1 - u^2/3 + u^4/5 - ...): |u| <= tan(pi/8) makes u^2 <= 0.172, so 11 terms reach 2^-26. */
export const ATAN_SERIES = Array.from({ length: 11 }, (_, n) => (n % 2 === 0 ? 1 : -1) / (2 * n + 1));

const copySign = (L: Lanes, magnitude: Value, sign: Value): Local => L.select(i32x4(SIGN_BIT), sign, magnitude);

/** atan r for r in [0, 1]: past tan(pi/8), atan r = pi/4 + atan((r - 1) / (r + 1)). */
function atanUnit(L: Lanes, r: Value): Local {
  const shifted = L.bin('f32x4.gt', r, f32x4(TAN_PI_8));
  const u = L.select(shifted, L.bin('f32x4.div', L.bin('f32x4.sub', r, f32x4(1)), L.bin('f32x4.add', r, f32x4(1))), r);
  const series = L.bin('f32x4.mul', u, L.polynomial(L.bin('f32x4.mul', u, u), ATAN_SERIES, 'f32'));
  return L.select(shifted, L.bin('f32x4.add', series, f32x4(PI_4)), series);
}

/** pi/2 - t, with pi/2 in two parts. */
const complementRightAngle = (L: Lanes, t: Value): Local => L.bin('f32x4.add', L.bin('f32x4.sub', f32x4(PI_2_HI), t), f32x4(PI_2_LO));

/** atan x = sign(x) (pi/2 - atan(1/|x|)) past |x| = 1. */
export function atan(L: Lanes, x: Value): Local {
  const a = L.un('f32x4.abs', x);
  const inverted = L.bin('f32x4.gt', a, f32x4(1));
  const t = atanUnit(L, L.select(inverted, L.bin('f32x4.div', f32x4(1), a), a));
  return copySign(L, L.select(inverted, complementRightAngle(L, t), t), x);
}

/**
 * atan2(y, x) by C's rules: atan of min(|x|, |y|) / max(|x|, |y|) in [0, 1], reflected into the
 * octant of (x, y). 0/0 (both zero) reads as 0 and inf/inf as 1, which gives atan2(+-0, -0) =
 * +-pi and atan2(inf, -inf) = 3 pi/4; a NaN in either is NaN.
 */
export function atan2(L: Lanes, y: Value, x: Value): Local {
  const ax = L.un('f32x4.abs', x);
  const ay = L.un('f32x4.abs', y);
  const most = L.bin('f32x4.max', ax, ay);
  const least = L.bin('f32x4.min', ax, ay);
  const ratio = L.bin('f32x4.div', least, most);
  const r = L.select(L.bin('f32x4.eq', most, f32x4(0)), f32x4(0), L.select(L.bin('f32x4.eq', least, f32x4(Infinity)), f32x4(1), ratio));
  const t = atanUnit(L, r);
  const octant = L.select(L.bin('f32x4.gt', ay, ax), complementRightAngle(L, t), t);
  const negativeX = L.shift('i32x4.shr_s', x, 31);
  const angle = L.select(negativeX, L.bin('f32x4.add', L.bin('f32x4.sub', f32x4(PI_HI), octant), f32x4(PI_LO)), octant);
  return copySign(L, angle, y);
}

/** sqrt((1 - x)(1 + x)): the factored form keeps its digits near |x| = 1; NaN beyond. */
const cofactor = (L: Lanes, x: Value): Local => L.un('f32x4.sqrt', L.bin('f32x4.mul', L.bin('f32x4.sub', f32x4(1), x), L.bin('f32x4.add', f32x4(1), x)));

export const asin = (L: Lanes, x: Value): Local => atan2(L, x, cofactor(L, x));
export const acos = (L: Lanes, x: Value): Local => atan2(L, cofactor(L, x), x);

/** Past |x| = 88, e^|x| overflows float32 before sinh and cosh do (at 89.4): e^(|x|/2)^2 / 2 instead. */
function hyperbolicTail(L: Lanes, a: Value): Local {
  const h = exp(L, L.bin('f32x4.mul', a, f32x4(0.5)));
  return L.bin('f32x4.mul', L.bin('f32x4.mul', h, f32x4(0.5)), h);
}

/** sinh |x| = (E + E / (E + 1)) / 2 with E = expm1(|x|): no cancellation near 0 (fdlibm's form). */
export function sinh(L: Lanes, x: Value): Local {
  const a = L.un('f32x4.abs', x);
  const e = expm1(L, L.bin('f32x4.min', a, f32x4(88)));
  const near = L.bin('f32x4.mul', L.bin('f32x4.add', e, L.bin('f32x4.div', e, L.bin('f32x4.add', e, f32x4(1)))), f32x4(0.5));
  return copySign(L, L.select(L.bin('f32x4.gt', a, f32x4(88)), hyperbolicTail(L, a), near), x);
}

export function cosh(L: Lanes, x: Value): Local {
  const a = L.un('f32x4.abs', x);
  const e = exp(L, L.bin('f32x4.min', a, f32x4(88)));
  const near = L.bin('f32x4.mul', L.bin('f32x4.add', e, L.bin('f32x4.div', f32x4(1), e)), f32x4(0.5));
  return L.select(L.bin('f32x4.gt', a, f32x4(88)), hyperbolicTail(L, a), near);
}

/** erf x = x (2/sqrt(pi)) sum (-1)^n x^(2n) / (n! (2n+1)) below |x| = 1 (12 terms reach 2^-26 there). */
export const ERF_TAYLOR = reciprocalFactorials(12).map((f, n) => ((n % 2 === 0 ? 1 : -1) * (2 / Math.sqrt(Math.PI)) * f) / (2 * n + 1));

/**
 * Monomial coefficients in u = (2x - lo - hi) / (hi - lo) of the polynomial of `degree` that
 * interpolates f at the Chebyshev nodes of [lo, hi]: within a few times the best approximation's
 * error, and well conditioned on u in [-1, 1].
 */
export function chebyshevInterpolant(f: (x: number) => number, lo: number, hi: number, degree: number): number[] {
  const n = degree + 1;
  const nodes = Array.from({ length: n }, (_, j) => Math.cos((Math.PI * (j + 0.5)) / n));
  const values = nodes.map((u) => f((lo + hi) / 2 + ((hi - lo) / 2) * u));
  // T_0 ... T_degree in the monomial basis, by T_(k+1) = 2u T_k - T_(k-1).
  const basis: number[][] = [[1], [0, 1]];
  for (let k = 2; k < n; k++) {
    const [older, old] = [basis[k - 2] as number[], basis[k - 1] as number[]];
    basis.push(Array.from({ length: k + 1 }, (_, i) => 2 * ((old[i - 1] as number | undefined) ?? 0) - ((older[i] as number | undefined) ?? 0)));
  }
  const coefficients = new Array<number>(n).fill(0);
  for (let k = 0; k < n; k++) {
    const ck = ((k === 0 ? 1 : 2) / n) * nodes.reduce((sum, u, j) => sum + (values[j] as number) * Math.cos(k * Math.acos(u)), 0);
    (basis[k] as number[]).forEach((t, i) => (coefficients[i] = (coefficients[i] as number) + ck * t));
  }
  return coefficients;
}

/** erf on [1, 2.5] and [2.5, 4] (past 3.92 it rounds to 1 in float32): 1.1 and 0.7 ulps measured in float32 Horner. */
export const ERF_NEAR = { lo: 1, hi: 2.5, coefficients: chebyshevInterpolant(erf64, 1, 2.5, 10) };
export const ERF_FAR = { lo: 2.5, hi: 4, coefficients: chebyshevInterpolant(erf64, 2.5, 4, 10) };

function interpolated(L: Lanes, a: Value, piece: { lo: number; hi: number; coefficients: readonly number[] }): Local {
  const u = L.bin('f32x4.sub', L.bin('f32x4.mul', a, f32x4(2 / (piece.hi - piece.lo))), f32x4((piece.lo + piece.hi) / (piece.hi - piece.lo)));
  return L.polynomial(u, piece.coefficients, 'f32');
}

export function erf(L: Lanes, x: Value): Local {
  const a = L.bin('f32x4.min', L.un('f32x4.abs', x), f32x4(4));
  const taylor = L.bin('f32x4.mul', a, L.polynomial(L.bin('f32x4.mul', a, a), ERF_TAYLOR, 'f32'));
  const tail = L.select(L.bin('f32x4.lt', a, f32x4(ERF_FAR.lo)), interpolated(L, a, ERF_NEAR), L.bin('f32x4.min', interpolated(L, a, ERF_FAR), f32x4(1)));
  return copySign(L, L.select(L.bin('f32x4.lt', a, f32x4(1)), taylor, tail), x);
}
