/**
 * How each element-wise op of the IR reads in WGSL: one expression over its arguments' WGSL
 * expressions. WGSL's built-ins differ from IEEE libm in ways that matter for a loss, so a few
 * ops go through the small functions of `WGSL_PRELUDE` instead:
 *   - `pow(a, b)` is exp2(b log2 a) in WGSL, undefined for a < 0 (PyTorch's (-2)^2 = 4);
 *   - there is no log1p or expm1, and log(1 + 1e-10) = 0 in float32;
 *   - tanh may be (e^2x - 1)/(e^2x + 1), which is inf/inf = NaN beyond |x| = 44;
 *   - sinh and cosh are inherited from (e^x -+ e^-x) / 2 (cancellation near 0), atan and atan2 may
 *     be 4096 ulps off, and there is no erf: these are the kernels' own (simdMath.ts), with the
 *     same series and coefficients;
 *   - NaN and infinity have no literal, and a constant expression may not be one: they are read
 *     from bit patterns in the uniform (`U.infBits`, `U.nanBits`).
 * Vector ops (sum, logsumexp, softmax, ...) are loops written by `wgslKernel.ts`.
 */
import type { OpName } from '../ir/ops';
import { ATAN_SERIES, ERF_FAR, ERF_NEAR, ERF_TAYLOR, TAN_PI_8 } from './simdMath';

type ElementwiseWgsl = (args: readonly string[]) => string;

const f32Of = (cond: string): string => `select(0.0, 1.0, ${cond})`;
const truth = (x: string): string => `(${x} != 0.0)`;

/** WGSL for each element-wise op; an op absent here is a vector op or not expressible. */
export const WGSL_ELEMENTWISE: Partial<Record<OpName, ElementwiseWgsl>> = {
  add: ([a, b]) => `(${a} + ${b})`,
  sub: ([a, b]) => `(${a} - ${b})`,
  mul: ([a, b]) => `(${a} * ${b})`,
  div: ([a, b]) => `(${a} / ${b})`,
  pow: ([a, b]) => `ll_pow(${a}, ${b})`,
  neg: ([a]) => `(-${a})`,
  abs: ([a]) => `abs(${a})`,
  sign: ([a]) => `(${f32Of(`${a} > 0.0`)} - ${f32Of(`${a} < 0.0`)})`,
  exp: ([a]) => `exp(${a})`,
  log: ([a]) => `ll_log(${a})`,
  log1p: ([a]) => `ll_log1p(${a})`,
  expm1: ([a]) => `ll_expm1(${a})`,
  sqrt: ([a]) => `ll_sqrt(${a})`,
  tanh: ([a]) => `ll_tanh(${a})`,
  sin: ([a]) => `sin(${a})`,
  cos: ([a]) => `cos(${a})`,
  sinh: ([a]) => `ll_sinh(${a})`,
  cosh: ([a]) => `ll_cosh(${a})`,
  asin: ([a]) => `ll_atan2(${a}, ll_cofactor(${a}))`,
  acos: ([a]) => `ll_atan2(ll_cofactor(${a}), ${a})`,
  atan: ([a]) => `ll_atan(${a})`,
  atan2: ([y, x]) => `ll_atan2(${y}, ${x})`,
  erf: ([a]) => `ll_erf(${a})`,
  stop_gradient: ([a]) => a as string,
  sigmoid: ([a]) => `ll_sigmoid(${a})`,
  softplus: ([a]) => `ll_softplus(${a})`,
  relu: ([a]) => `max(${a}, 0.0)`,
  max2: ([a, b]) => `max(${a}, ${b})`,
  min2: ([a, b]) => `min(${a}, ${b})`,
  clip: ([x, lo, hi]) => `min(max(${x}, ${lo}), ${hi})`,
  where: ([c, a, b]) => `select(${b}, ${a}, ${truth(c as string)})`,
  lt: ([a, b]) => f32Of(`${a} < ${b}`),
  le: ([a, b]) => f32Of(`${a} <= ${b}`),
  gt: ([a, b]) => f32Of(`${a} > ${b}`),
  ge: ([a, b]) => f32Of(`${a} >= ${b}`),
  eq: ([a, b]) => f32Of(`${a} == ${b}`),
  ne: ([a, b]) => f32Of(`${a} != ${b}`),
  and: ([a, b]) => f32Of(`${truth(a as string)} && ${truth(b as string)}`),
  or: ([a, b]) => f32Of(`${truth(a as string)} || ${truth(b as string)}`),
  not: ([a]) => f32Of(`${a} == 0.0`),
};

/** A float32 constant as WGSL: a literal when finite, a bit pattern for NaN and the infinities. */
export function wgslConstant(value: number): string {
  const f = Math.fround(value);
  if (Number.isNaN(f)) return 'll_nan()';
  if (f === Infinity) return 'll_inf()';
  if (f === -Infinity) return '(-ll_inf())';
  // Enough digits to round-trip a float32; exponent form keeps tiny and huge values exact.
  const text = f.toExponential(9).replace('e+', 'e');
  return f < 0 ? `(${text})` : text;
}

/**
 * The functions the op table calls. Each is written so that its float32 error is a few ulps
 * of the result where the float64 reference is finite, and it never builds a NaN from
 * finite inputs that the reference would not.
 */
export const WGSL_PRELUDE = `
// Infinity and NaN come from the uniform's bit patterns: WGSL refuses them as constants.
fn ll_inf() -> f32 { return bitcast<f32>(U.infBits); }
fn ll_nan() -> f32 { return bitcast<f32>(U.nanBits); }

// log and sqrt of a negative number are NaN (WGSL leaves them undefined); log(0) = -inf.
fn ll_log(x: f32) -> f32 {
  if (x > 0.0) { return log(x); }
  if (x == 0.0) { return -ll_inf(); }
  return ll_nan();
}
fn ll_sqrt(x: f32) -> f32 {
  if (x >= 0.0) { return sqrt(x); }
  return ll_nan();
}

// IEEE pow: a negative base with an integer exponent keeps its sign when the exponent is odd.
fn ll_pow(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (b == 1.0) { return a; }
  if (b == 2.0) { return a * a; }
  if (a == 0.0) { return select(ll_inf(), 0.0, b > 0.0); }
  let m = exp2(b * log2(abs(a)));
  if (a > 0.0) { return m; }
  if (floor(b) != b) { return ll_nan(); }
  // |b| >= 2^24 is an even integer in float32.
  let odd = abs(b) < 16777216.0 && (i32(abs(b)) & 1) == 1;
  return select(m, -m, odd);
}

// Goldberg's log1p: log(u) x / (u - 1) with u = 1 + x cancels log's rounding of u.
fn ll_log1p(x: f32) -> f32 {
  let u = 1.0 + x;
  let d = u - 1.0;
  if (d == 0.0) { return x; }
  if (u == ll_inf()) { return u; }
  return ll_log(u) * x / d;
}

// Kahan's expm1: (u - 1) x / log(u) with u = e^x, exact where u rounds to 1.
fn ll_expm1(x: f32) -> f32 {
  let u = exp(x);
  if (u == 1.0) { return x; }
  let d = u - 1.0;
  if (d == -1.0) { return -1.0; }
  if (u == ll_inf()) { return u; }
  return d * x / log(u);
}

// tanh(|x|) = expm1(2|x|) / (expm1(2|x|) + 2): no cancellation near 0, and 1 beyond |x| = 10.
fn ll_tanh(x: f32) -> f32 {
  let a = min(abs(x), 10.0);
  let e = ll_expm1(2.0 * a);
  let t = select(e / (e + 2.0), 1.0, abs(x) >= 10.0);
  return select(t, -t, x < 0.0);
}

// Through e^-|x|, so neither branch overflows.
fn ll_sigmoid(x: f32) -> f32 {
  let e = exp(-abs(x));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
}

fn ll_softplus(x: f32) -> f32 {
  return max(x, 0.0) + ll_log1p(exp(-abs(x)));
}

// NaN from its bits: a compiler may fold x != x to false.
fn ll_isnan(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u;
}

fn ll_copysign(m: f32, s: f32) -> f32 {
  return select(m, -m, (bitcast<u32>(s) >> 31u) == 1u);
}

// fdlibm's sinh |x| = (E + E / (E + 1)) / 2 with E = expm1(|x|); past 88, e^(|x|/2)^2 / 2.
fn ll_sinh(x: f32) -> f32 {
  let a = abs(x);
  let e = ll_expm1(min(a, 88.0));
  let h = exp(0.5 * a);
  return ll_copysign(select(0.5 * (e + e / (e + 1.0)), (0.5 * h) * h, a > 88.0), x);
}
fn ll_cosh(x: f32) -> f32 {
  let a = abs(x);
  let e = exp(min(a, 88.0));
  let h = exp(0.5 * a);
  return select(0.5 * (e + 1.0 / e), (0.5 * h) * h, a > 88.0);
}

// atan r for r in [0, 1]: past tan(pi/8), pi/4 + atan((r - 1) / (r + 1)); then the series.
fn ll_atan_unit(r: f32) -> f32 {
  let shifted = r > ${wgslConstant(TAN_PI_8)};
  let u = select(r, (r - 1.0) / (r + 1.0), shifted);
  let z = u * u;
  let t = u * ${horner('z', ATAN_SERIES)};
  return select(t, t + ${wgslConstant(Math.PI / 4)}, shifted);
}
fn ll_atan(x: f32) -> f32 {
  let a = abs(x);
  let t = ll_atan_unit(select(a, 1.0 / a, a > 1.0));
  return ll_copysign(select(t, ${wgslConstant(Math.PI / 2)} - t, a > 1.0), x);
}
// C's atan2: 0/0 reads as 0 and inf/inf as 1; x's sign bit (-0 too) reflects into the left half-plane.
fn ll_atan2(y: f32, x: f32) -> f32 {
  if (ll_isnan(x) || ll_isnan(y)) { return ll_nan(); }
  let ax = abs(x);
  let ay = abs(y);
  let most = max(ax, ay);
  let least = min(ax, ay);
  var r = 0.0;
  if (least == ll_inf()) { r = 1.0; } else if (most > 0.0) { r = least / most; }
  var t = ll_atan_unit(r);
  if (ay > ax) { t = ${wgslConstant(Math.PI / 2)} - t; }
  if ((bitcast<u32>(x) >> 31u) == 1u) { t = ${wgslConstant(Math.PI)} - t; }
  return ll_copysign(t, y);
}
fn ll_cofactor(x: f32) -> f32 {
  return ll_sqrt((1.0 - x) * (1.0 + x));
}

// Taylor below 1, then the Chebyshev interpolants of simdMath.ts on [1, 2.5] and [2.5, 4].
fn ll_erf(x: f32) -> f32 {
  let a = min(abs(x), 4.0);
  let z = a * a;
  let near = ${wgslConstant(2 / (ERF_NEAR.hi - ERF_NEAR.lo))} * a - ${wgslConstant((ERF_NEAR.lo + ERF_NEAR.hi) / (ERF_NEAR.hi - ERF_NEAR.lo))};
  let far = ${wgslConstant(2 / (ERF_FAR.hi - ERF_FAR.lo))} * a - ${wgslConstant((ERF_FAR.lo + ERF_FAR.hi) / (ERF_FAR.hi - ERF_FAR.lo))};
  var m = min(${horner('far', ERF_FAR.coefficients)}, 1.0);
  if (a < 1.0) { m = a * ${horner('z', ERF_TAYLOR)}; } else if (a < ${wgslConstant(ERF_FAR.lo)}) { m = ${horner('near', ERF_NEAR.coefficients)}; }
  return select(ll_copysign(m, x), x, ll_isnan(x));
}
`;

/** c[0] + x (c[1] + x (...)) as one WGSL expression. */
function horner(x: string, coefficients: readonly number[]): string {
  return coefficients.reduceRight<string>((acc, c, i) => (i === coefficients.length - 1 ? wgslConstant(c) : `(${wgslConstant(c)} + ${x} * ${acc})`), '');
}
