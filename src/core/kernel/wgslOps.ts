/**
 * How each element-wise op of the IR reads in WGSL: one expression over its arguments' WGSL
 * expressions. WGSL's built-ins differ from IEEE libm in ways that matter for a loss, so a few
 * ops go through the small functions of `WGSL_PRELUDE` instead:
 *   - `pow(a, b)` is exp2(b log2 a) in WGSL, undefined for a < 0 (PyTorch's (-2)^2 = 4);
 *   - there is no log1p or expm1, and log(1 + 1e-10) = 0 in float32;
 *   - tanh may be (e^2x - 1)/(e^2x + 1), which is inf/inf = NaN beyond |x| = 44;
 *   - NaN and infinity have no literal, and a constant expression may not be one: they are read
 *     from bit patterns in the uniform (`U.infBits`, `U.nanBits`).
 * Vector ops (sum, logsumexp, softmax, ...) are loops written by `wgslKernel.ts`.
 */
import type { OpName } from '../ir/ops';

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
`;
