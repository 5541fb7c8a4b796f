/**
 * The one table of LossLab's primitive operations. Each entry says, next to each other, how
 * the op computes in float64 (the reference), in tensors (TensorFlow.js), how it prints in
 * LaTeX, and its reverse-mode derivative rule, written as new IR nodes. Adding a primitive is
 * adding one entry here; nothing else switches on op names except the simplifier.
 *
 * Derivative conventions at kinks (stated because they are choices; PyTorch makes the same ones):
 *   abs'(0) = 0, relu'(0) = 0, sign' = 0, comparisons have zero derivative,
 *   max(a, b) and min(a, b) split the adjoint evenly between a and b when a = b,
 *   clip(x, lo, hi) passes the gradient to x on the closed interval [lo, hi],
 *   `c ? a : b` differentiates the branch taken; the condition is not differentiated.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { broadcastAll, SCALAR, sameShape, ShapeMismatch, vectorShape, type Shape } from './shape';
import { alongLastAxis64, alongLastAxisTensor, sortBy64, sortByTensor, unsortBy64, unsortByTensor } from './permutation';
import { erf64, logGamma64, polygamma64 } from './special';
import { logGammaTensor, polygammaTensor } from './specialTensor';
import { flatRows, spreadTo, TENSOR_OPS } from './tensorOps';
import type { NodeBuilder, NodeId, OpAttrs, OpName, OpSpec, TfModule } from './opTypes';

export type { NodeBuilder, NodeId, OpAttrs, OpContext, OpName, OpSpec, TfModule } from './opTypes';
export { OP_NAMES } from './opTypes';
type T = tfc.Tensor;

const elementwise = (shapes: readonly Shape[]): Shape => broadcastAll('an element-wise operation', shapes);
const toScalar = (): Shape => SCALAR;
/** Sorting along the last axis, of a vector or of each row of a tensor: x and key of one shape. */
const alongLastAxis = (shapes: readonly Shape[]): Shape => {
  const [s] = shapes as [Shape];
  if (s.length === 0) throw new ShapeMismatch('sorting acts on a vector or along the last axis of a tensor, but got {}', [s]);
  for (const other of shapes.slice(1)) if (!sameShape(other, s)) throw new ShapeMismatch('x and its key must have one shape, but got {} and {}', [s, other]);
  return s;
};
/** A row op along the one axis of a vector: softmax, running sums, sorting. */
const alongVector = (shapes: readonly Shape[]): Shape => {
  const [s] = shapes as [Shape];
  if (s.length !== 1) throw new ShapeMismatch('this operation acts on a vector, but got {}', [s]);
  for (const other of shapes.slice(1))
    if (!sameShape(other, s)) throw new ShapeMismatch('both arguments must be vectors of one length, but got {} and {}', [s, other]);
  return s;
};
const toClassVector = (_s: readonly Shape[], _a: OpAttrs, classes: number): Shape => vectorShape(classes);
const ATOM = 100;
const fn = (name: string) => (a: readonly string[]) => `\\${name}\\left(${a.join(', ')}\\right)`;
const op = (name: string) => (a: readonly string[]) => `\\operatorname{${name}}\\left(${a.join(', ')}\\right)`;

// Shorthands for derivative rules, so each reads like the calculus it states.
const mul = (g: NodeBuilder, a: NodeId, b: NodeId): NodeId => g.apply('mul', a, b);
const div = (g: NodeBuilder, a: NodeId, b: NodeId): NodeId => g.apply('div', a, b);
const c = (g: NodeBuilder, v: number): NodeId => g.constant(v);
const a0 = (args: readonly NodeId[]) => args[0] as NodeId;
const a1 = (args: readonly NodeId[]) => args[1] as NodeId;

/** Stable float64 softplus: log(1 + e^x) = max(x, 0) + log1p(e^-|x|). */
export function softplus64(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

export function sigmoid64(x: number): number {
  // Evaluate through e^-|x| so neither branch overflows.
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

const indicator = (b: boolean): number => (b ? 1 : 0);

/**
 * tfjs's wasm log1p is log(1 + x), which returns 0 for x = 1e-10. Goldberg's correction
 * log(u) * x / (u - 1) with u = 1 + x is accurate to a few ulps in float32.
 */
function log1pTensor(tf: TfModule, x: T): T {
  const u = tf.add(x, 1);
  const d = tf.sub(u, 1);
  // log(u) (x / d), not (log(u) x) / d: the product overflows for x beyond 3.4e38 / 88.
  const corrected = tf.mul(tf.log(u), tf.div(x, tf.where(tf.equal(d, 0), tf.onesLike(d), d)));
  return tf.where(tf.equal(d, 0), x, tf.where(tf.isInf(u), tf.log(u), corrected));
}

/**
 * log sum e^v = m + log(t) + log1p(r / t), with m the row's maximum, t how many entries equal it
 * and r the sum of the other entries' e^(v - m): r keeps its digits, where m + log(t + r) would
 * round r against t (cross-entropy near 0 is r itself). A row whose maximum is not finite gives it.
 */
function stableLogSumExpTensor(tf: TfModule, v: T): T {
  const m = tf.max(v, 1, true);
  const top = tf.equal(v, m);
  const e = tf.exp(tf.sub(v, m));
  const ties = tf.sum(tf.cast(top, 'float32'), 1, true);
  const rest = tf.sum(tf.where(top, tf.zerosLike(e), e), 1, true);
  return tf.where(tf.isFinite(m), tf.add(tf.add(m, tf.log(ties)), log1pTensor(tf, tf.div(rest, ties))), m);
}

function comparison(latexOp: string, f: (a: number, b: number) => boolean, tensor: (tf: TfModule, a: T, b: T) => T): OpSpec {
  return {
    arity: 2,
    shape: elementwise,
    f64: (a, b) => indicator(f(a as number, b as number)),
    tensor: (tf, [a, b]) => tf.cast(tensor(tf, a as T, b as T), 'float32'),
    vjp: () => [undefined, undefined],
    latex: ([a, b]) => `${a} ${latexOp} ${b}`,
    precedence: 10,
  };
}

function rowReduce(rows: readonly Float64Array[], f: (v: Float64Array) => number): Float64Array {
  return Float64Array.of(f(rows[0] as Float64Array));
}

function softmaxRow(v: Float64Array): Float64Array {
  let m = -Infinity;
  for (const x of v) m = Math.max(m, x);
  const e = v.map((x) => Math.exp(x - m));
  let s = 0;
  for (const x of e) s += x;
  return e.map((x) => x / s);
}

function cumulative(v: Float64Array, reversed: boolean): Float64Array {
  const out = new Float64Array(v.length);
  let total = 0;
  for (let k = 0; k < v.length; k++) {
    const i = reversed ? v.length - 1 - k : k;
    total += v[i] as number;
    out[i] = total;
  }
  return out;
}

function logsumexpRow(v: Float64Array): number {
  let m = -Infinity;
  for (const x of v) m = Math.max(m, x);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (const x of v) s += Math.exp(x - m);
  return m + Math.log(s);
}

export const OPS: Readonly<Record<OpName, OpSpec>> = {
  add: {
    arity: 2,
    shape: elementwise,
    f64: (a, b) => (a as number) + (b as number),
    tensor: (tf, [a, b]) => tf.add(a as T, b as T),
    vjp: (_g, _args, _out, adj) => [adj, adj],
    latex: ([a, b]) => `${a} + ${b}`,
    precedence: 20,
  },
  sub: {
    arity: 2,
    shape: elementwise,
    f64: (a, b) => (a as number) - (b as number),
    tensor: (tf, [a, b]) => tf.sub(a as T, b as T),
    vjp: (g, _args, _out, adj) => [adj, g.apply('neg', adj)],
    latex: ([a, b]) => `${a} - ${b}`,
    precedence: 20,
  },
  mul: {
    arity: 2,
    shape: elementwise,
    f64: (a, b) => (a as number) * (b as number),
    tensor: (tf, [a, b]) => tf.mul(a as T, b as T),
    vjp: (g, args, _out, adj) => [mul(g, adj, a1(args)), mul(g, adj, a0(args))],
    latex: ([a, b]) => `${a} \\, ${b}`,
    precedence: 30,
  },
  div: {
    arity: 2,
    shape: elementwise,
    f64: (a, b) => (a as number) / (b as number),
    tensor: (tf, [a, b]) => tf.div(a as T, b as T),
    vjp: (g, args, out, adj) => [div(g, adj, a1(args)), g.apply('neg', div(g, mul(g, adj, out), a1(args)))],
    latex: ([a, b]) => `\\frac{${a}}{${b}}`,
    precedence: ATOM,
  },
  pow: {
    arity: 2,
    shape: elementwise,
    f64: (a, b) => Math.pow(a as number, b as number),
    // tfjs-wasm's pow is several times slower with a [1, 1] exponent broadcast over [n, 1] than
    // with a rank-0 one (measured by bench/run.ts: 60-100 ms against 18 ms over 2^20 elements).
    tensor: (tf, [a, b]) => tf.pow(a as T, (b as T).size === 1 ? tf.reshape(b as T, []) : (b as T)),
    // d/da a^b = b a^(b-1); d/db a^b = a^b log a (asked for only when b depends on a variable).
    vjp: (g, args, out, adj) => [
      mul(g, adj, mul(g, a1(args), g.apply('pow', a0(args), g.apply('sub', a1(args), c(g, 1))))),
      mul(g, adj, mul(g, out, g.apply('log', a0(args)))),
    ],
    latex: ([a, b]) => `{${a}}^{${b}}`,
    precedence: 40,
  },
  neg: {
    arity: 1,
    shape: elementwise,
    f64: (a) => -(a as number),
    tensor: (tf, [a]) => tf.neg(a as T),
    vjp: (g, _args, _out, adj) => [g.apply('neg', adj)],
    latex: ([a]) => `-${a}`,
    precedence: 25,
  },
  abs: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.abs(a as number),
    tensor: (tf, [a]) => tf.abs(a as T),
    vjp: (g, args, _out, adj) => [mul(g, adj, g.apply('sign', a0(args)))],
    latex: ([a]) => `\\left|${a}\\right|`,
    precedence: ATOM,
  },
  sign: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.sign(a as number),
    // Not tf.sign: on wasm it returns 0 for |x| below about 1e-6 (sign(1e-10) = 0), which zeroes abs'.
    tensor: (tf, [a]) => tf.sub(tf.cast(tf.greater(a as T, 0), 'float32'), tf.cast(tf.less(a as T, 0), 'float32')),
    vjp: () => [undefined],
    latex: op('sign'),
    precedence: ATOM,
  },
  exp: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.exp(a as number),
    tensor: (tf, [a]) => tf.exp(a as T),
    vjp: (g, _args, out, adj) => [mul(g, adj, out)],
    latex: ([a]) => `e^{${a}}`,
    precedence: 40,
  },
  log: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.log(a as number),
    tensor: (tf, [a]) => tf.log(a as T),
    vjp: (g, args, _out, adj) => [div(g, adj, a0(args))],
    latex: fn('log'),
    precedence: ATOM,
  },
  log1p: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.log1p(a as number),
    tensor: (tf, [a]) => log1pTensor(tf, a as T),
    vjp: (g, args, _out, adj) => [div(g, adj, g.apply('add', c(g, 1), a0(args)))],
    latex: op('log1p'),
    precedence: ATOM,
  },
  expm1: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.expm1(a as number),
    tensor: (tf, [a]) => tf.expm1(a as T),
    vjp: (g, args, _out, adj) => [mul(g, adj, g.apply('exp', a0(args)))],
    latex: op('expm1'),
    precedence: ATOM,
  },
  sqrt: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.sqrt(a as number),
    tensor: (tf, [a]) => tf.sqrt(a as T),
    vjp: (g, _args, out, adj) => [div(g, adj, mul(g, c(g, 2), out))],
    latex: ([a]) => `\\sqrt{${a}}`,
    precedence: ATOM,
  },
  tanh: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.tanh(a as number),
    tensor: (tf, [a]) => tf.tanh(a as T),
    vjp: (g, _args, out, adj) => [mul(g, adj, g.apply('sub', c(g, 1), mul(g, out, out)))],
    latex: fn('tanh'),
    precedence: ATOM,
  },
  sin: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.sin(a as number),
    tensor: (tf, [a]) => tf.sin(a as T),
    vjp: (g, args, _out, adj) => [mul(g, adj, g.apply('cos', a0(args)))],
    latex: fn('sin'),
    precedence: ATOM,
  },
  cos: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.cos(a as number),
    tensor: (tf, [a]) => tf.cos(a as T),
    vjp: (g, args, _out, adj) => [g.apply('neg', mul(g, adj, g.apply('sin', a0(args))))],
    latex: fn('cos'),
    precedence: ATOM,
  },
  sinh: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.sinh(a as number),
    tensor: (tf, [a]) => tf.sinh(a as T),
    vjp: (g, args, _out, adj) => [mul(g, adj, g.apply('cosh', a0(args)))],
    latex: fn('sinh'),
    precedence: ATOM,
  },
  cosh: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.cosh(a as number),
    tensor: (tf, [a]) => tf.cosh(a as T),
    vjp: (g, args, _out, adj) => [mul(g, adj, g.apply('sinh', a0(args)))],
    latex: fn('cosh'),
    precedence: ATOM,
  },
  asin: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.asin(a as number),
    tensor: (tf, [a]) => tf.asin(a as T),
    // 1 / sqrt((1 - x)(1 + x)): the factored form keeps its digits near |x| = 1, as 1 - x^2 does not.
    vjp: (g, args, _out, adj) => [div(g, adj, g.apply('sqrt', oneMinusSquare(g, a0(args))))],
    latex: fn('arcsin'),
    precedence: ATOM,
  },
  acos: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.acos(a as number),
    tensor: (tf, [a]) => tf.acos(a as T),
    vjp: (g, args, _out, adj) => [g.apply('neg', div(g, adj, g.apply('sqrt', oneMinusSquare(g, a0(args)))))],
    latex: fn('arccos'),
    precedence: ATOM,
  },
  atan: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.atan(a as number),
    tensor: (tf, [a]) => tf.atan(a as T),
    vjp: (g, args, _out, adj) => [div(g, adj, g.apply('add', c(g, 1), mul(g, a0(args), a0(args))))],
    latex: fn('arctan'),
    precedence: ATOM,
  },
  /** atan2(y, x): the angle of the point (x, y), in (-pi, pi], as in C, NumPy and PyTorch. */
  atan2: {
    arity: 2,
    shape: elementwise,
    f64: (y, x) => Math.atan2(y as number, x as number),
    tensor: (tf, [y, x]) => tf.atan2(y as T, x as T),
    // d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2).
    vjp: (g, [y, x], _out, adj) => {
      const r2 = g.apply('add', mul(g, x as NodeId, x as NodeId), mul(g, y as NodeId, y as NodeId));
      return [mul(g, adj, div(g, x as NodeId, r2)), g.apply('neg', mul(g, adj, div(g, y as NodeId, r2)))];
    },
    latex: op('atan2'),
    precedence: ATOM,
  },
  erf: {
    arity: 1,
    shape: elementwise,
    f64: (a) => erf64(a as number),
    tensor: (tf, [a]) => tf.erf(a as T),
    // erf'(x) = 2 / sqrt(pi) e^(-x^2).
    vjp: (g, args, _out, adj) => [mul(g, adj, mul(g, c(g, 2 / Math.sqrt(Math.PI)), g.apply('exp', g.apply('neg', mul(g, a0(args), a0(args))))))],
    latex: op('erf'),
    precedence: ATOM,
  },
  /** log |Gamma(x)| (special.ts): Dirichlet and evidential losses, the Poisson and negative binomial likelihoods. */
  lgamma: {
    arity: 1,
    shape: elementwise,
    f64: (a) => logGamma64(a as number),
    tensor: (tf, [a]) => logGammaTensor(tf, a as T),
    vjp: (g, args, _out, adj) => [mul(g, adj, g.apply('polygamma', c(g, 0), a0(args)))],
    latex: op('\\log\\Gamma'),
    precedence: ATOM,
  },
  /** psi^(n)(x) for a constant whole order n: digamma is n = 0; the derivative is order n + 1. */
  polygamma: {
    arity: 2,
    shape: elementwise,
    f64: (n, x) => polygamma64(n as number, x as number),
    tensor: (tf, [n, x]) => polygammaTensor(tf, n as T, x as T),
    vjp: (g, [n, x], _out, adj) => [undefined, mul(g, adj, g.apply('polygamma', g.apply('add', n as NodeId, c(g, 1)), x as NodeId))],
    latex: ([n, x]) => (n === '0' ? `\\psi\\left(${x}\\right)` : `\\psi^{(${n})}\\left(${x}\\right)`),
    precedence: ATOM,
  },
  /**
   * PyTorch's detach, JAX's stop_gradient: the value passes, no derivative flows back through
   * it (CIoU's alpha, the targets of self-distillation). Every derivative of LossLab's honours
   * it: the gradient check compares against finite differences that hold it fixed.
   */
  stop_gradient: {
    arity: 1,
    shape: elementwise,
    f64: (a) => a as number,
    tensor: (_tf, [a]) => (a as T).clone(),
    vjp: () => [undefined],
    latex: ([a]) => `\\operatorname{sg}\\left[${a}\\right]`,
    precedence: ATOM,
  },
  sigmoid: {
    arity: 1,
    shape: elementwise,
    f64: (a) => sigmoid64(a as number),
    tensor: (tf, [a]) => tf.sigmoid(a as T),
    // sigma'(x) = sigma(x) sigma(-x): unlike sigma (1 - sigma), it keeps its precision for large x.
    vjp: (g, args, out, adj) => [mul(g, adj, mul(g, out, g.apply('sigmoid', g.apply('neg', a0(args)))))],
    latex: op('\\sigma'),
    precedence: ATOM,
  },
  softplus: {
    arity: 1,
    shape: elementwise,
    f64: (a) => softplus64(a as number),
    tensor: (tf, [a]) => tf.softplus(a as T),
    vjp: (g, args, _out, adj) => [mul(g, adj, g.apply('sigmoid', a0(args)))],
    latex: op('softplus'),
    precedence: ATOM,
  },
  relu: {
    arity: 1,
    shape: elementwise,
    f64: (a) => Math.max(a as number, 0),
    tensor: (tf, [a]) => tf.relu(a as T),
    vjp: (g, args, _out, adj) => [mul(g, adj, g.apply('gt', a0(args), c(g, 0)))],
    latex: op('relu'),
    precedence: ATOM,
  },
  max2: {
    arity: 2,
    shape: elementwise,
    f64: (a, b) => Math.max(a as number, b as number),
    tensor: (tf, [a, b]) => tf.maximum(a as T, b as T),
    vjp: (g, [a, b], _out, adj) => [mul(g, adj, tieWeight(g, 'gt', a as NodeId, b as NodeId)), mul(g, adj, tieWeight(g, 'gt', b as NodeId, a as NodeId))],
    latex: fn('max'),
    precedence: ATOM,
  },
  min2: {
    arity: 2,
    shape: elementwise,
    f64: (a, b) => Math.min(a as number, b as number),
    tensor: (tf, [a, b]) => tf.minimum(a as T, b as T),
    vjp: (g, [a, b], _out, adj) => [mul(g, adj, tieWeight(g, 'lt', a as NodeId, b as NodeId)), mul(g, adj, tieWeight(g, 'lt', b as NodeId, a as NodeId))],
    latex: fn('min'),
    precedence: ATOM,
  },
  clip: {
    arity: 3,
    shape: elementwise,
    f64: (x, lo, hi) => Math.min(Math.max(x as number, lo as number), hi as number),
    tensor: (tf, [x, lo, hi]) => tf.minimum(tf.maximum(x as T, lo as T), hi as T),
    vjp: (g, [x, lo, hi], _out, adj) => [
      mul(g, adj, mul(g, g.apply('ge', x as NodeId, lo as NodeId), g.apply('le', x as NodeId, hi as NodeId))),
      mul(g, adj, g.apply('lt', x as NodeId, lo as NodeId)),
      mul(g, adj, g.apply('gt', x as NodeId, hi as NodeId)),
    ],
    latex: op('clip'),
    precedence: ATOM,
  },
  where: {
    arity: 3,
    shape: (s) => elementwise(s),
    f64: (cond, a, b) => ((cond as number) !== 0 ? (a as number) : (b as number)),
    // tf.where wants its three arguments of one shape; a scalar branch is broadcast first.
    tensor: (tf, [cond, a, b]) => {
      const { assertAndGetBroadcastShape } = tf.broadcast_util;
      const shape = assertAndGetBroadcastShape(assertAndGetBroadcastShape((cond as T).shape, (a as T).shape), (b as T).shape);
      const bc = (t: T) => (t.shape.every((d, i) => d === shape[i]) ? t : tf.broadcastTo(t, shape));
      return tf.where(tf.cast(bc(cond as T), 'bool'), bc(a as T), bc(b as T));
    },
    vjp: (g, [cond], _out, adj) => {
      const zero = c(g, 0);
      return [undefined, g.apply('where', cond as NodeId, adj, zero), g.apply('where', cond as NodeId, zero, adj)];
    },
    latex: ([cond, a, b]) => `\\begin{cases} ${a} & \\text{if } ${cond} \\\\ ${b} & \\text{otherwise} \\end{cases}`,
    precedence: ATOM,
  },
  lt: comparison(
    '<',
    (a, b) => a < b,
    (tf, a, b) => tf.less(a, b),
  ),
  le: comparison(
    '\\le',
    (a, b) => a <= b,
    (tf, a, b) => tf.lessEqual(a, b),
  ),
  gt: comparison(
    '>',
    (a, b) => a > b,
    (tf, a, b) => tf.greater(a, b),
  ),
  ge: comparison(
    '\\ge',
    (a, b) => a >= b,
    (tf, a, b) => tf.greaterEqual(a, b),
  ),
  eq: comparison(
    '=',
    (a, b) => a === b,
    (tf, a, b) => tf.equal(a, b),
  ),
  ne: comparison(
    '\\ne',
    (a, b) => a !== b,
    (tf, a, b) => tf.notEqual(a, b),
  ),
  and: comparison(
    '\\wedge',
    (a, b) => a !== 0 && b !== 0,
    (tf, a, b) => tf.logicalAnd(tf.cast(a, 'bool'), tf.cast(b, 'bool')),
  ),
  or: comparison(
    '\\vee',
    (a, b) => a !== 0 || b !== 0,
    (tf, a, b) => tf.logicalOr(tf.cast(a, 'bool'), tf.cast(b, 'bool')),
  ),
  not: {
    arity: 1,
    shape: elementwise,
    f64: (a) => indicator((a as number) === 0),
    tensor: (tf, [a]) => tf.cast(tf.equal(a as T, 0), 'float32'),
    vjp: () => [undefined],
    latex: ([a]) => `\\neg ${a}`,
    precedence: 25,
  },
  // ---- whole rows: reductions over every entry, vectors of one axis ---------------------
  sum: {
    arity: 1,
    shape: toScalar,
    vectorF64: (rows) => rowReduce(rows, (v) => v.reduce((s, x) => s + x, 0)),
    tensor: (tf, [v]) => tf.sum(flatRows(tf, v as T), 1, true),
    vjp: (g, [v], _out, adj) => [spreadTo(g, adj, g.shape(v as NodeId))],
    latex: ([v]) => `\\sum_k ${subscripted(v as string)}`,
    precedence: 15,
  },
  vmax: {
    arity: 1,
    shape: toScalar,
    vectorF64: (rows) => rowReduce(rows, (v) => v.reduce((m, x) => Math.max(m, x), -Infinity)),
    tensor: (tf, [v]) => tf.max(flatRows(tf, v as T), 1, true),
    // Ties share the adjoint evenly, as max(a, b) does.
    vjp: (g, [v], out, adj) => {
      const hits = g.apply('eq', v as NodeId, spreadTo(g, out, g.shape(v as NodeId)));
      return [mul(g, adj, div(g, hits, g.apply('sum', hits)))];
    },
    latex: ([v]) => `\\max_k ${subscripted(v as string)}`,
    precedence: 15,
  },
  vmin: {
    arity: 1,
    shape: toScalar,
    vectorF64: (rows) => rowReduce(rows, (v) => v.reduce((m, x) => Math.min(m, x), Infinity)),
    tensor: (tf, [v]) => tf.min(flatRows(tf, v as T), 1, true),
    vjp: (g, [v], out, adj) => {
      const hits = g.apply('eq', v as NodeId, spreadTo(g, out, g.shape(v as NodeId)));
      return [mul(g, adj, div(g, hits, g.apply('sum', hits)))];
    },
    latex: ([v]) => `\\min_k ${subscripted(v as string)}`,
    precedence: 15,
  },
  logsumexp: {
    arity: 1,
    shape: toScalar,
    vectorF64: (rows) => rowReduce(rows, logsumexpRow),
    tensor: (tf, [v]) => stableLogSumExpTensor(tf, flatRows(tf, v as T)),
    // The derivative of logsumexp is softmax (over every entry: e^(v - lse) beyond one axis).
    vjp: (g, [v], out, adj) =>
      g.shape(v as NodeId).length === 1 ? [mul(g, adj, g.apply('softmax', v as NodeId))] : [mul(g, adj, g.apply('exp', g.apply('sub', v as NodeId, out)))],
    latex: ([v]) => `\\log \\sum_k e^{${subscripted(v as string)}}`,
    precedence: 15,
  },
  softmax: {
    arity: 1,
    shape: alongVector,
    vectorF64: (rows) => softmaxRow(rows[0] as Float64Array),
    tensor: (tf, [v]) => tf.softmax(v as T, -1),
    // J^T u = y * (u - <u, y>) with y = softmax(v).
    vjp: (g, _args, out, adj) => [mul(g, out, g.apply('sub', adj, g.apply('sum', mul(g, adj, out))))],
    latex: op('softmax'),
    precedence: ATOM,
  },
  /** Running sums s_1, s_1 + s_2, ...: Wasserstein-1 distances, Lovasz extensions, ranking losses. */
  cumsum: {
    arity: 1,
    shape: alongVector,
    vectorF64: ([v]) => cumulative(v as Float64Array, false),
    tensor: (tf, [v]) => tf.cumsum(v as T, 1),
    // Each s_j feeds every later running sum: the adjoint is the reversed cumulative sum.
    vjp: (g, _args, _out, adj) => [g.apply('revcumsum', adj)],
    latex: op('cumsum'),
    precedence: ATOM,
  },
  /** Sums from each entry to the last: s_k + ... + s_K (ListMLE's tails). */
  revcumsum: {
    arity: 1,
    shape: alongVector,
    vectorF64: ([v]) => cumulative(v as Float64Array, true),
    tensor: (tf, [v]) => tf.cumsum(v as T, 1, false, true),
    vjp: (g, _args, _out, adj) => [g.apply('cumsum', adj)],
    latex: op('revcumsum'),
    precedence: ATOM,
  },
  /** x in the ascending order of key along the last axis (stable, NaN last: permutation.ts); sort(v) is sort_by(v, v). */
  sort_by: {
    arity: 2,
    shape: alongLastAxis,
    vectorF64: ([x, key], ctx) => alongLastAxis64(sortBy64, x as Float64Array, key as Float64Array, ctx.shape),
    tensor: (tf, [x, key]) => alongLastAxisTensor(tf, sortByTensor, x as T, key as T),
    // The permutation is piecewise constant in key: the adjoint goes back to where each entry came from.
    vjp: (g, [, key], _out, adj) => [g.apply('unsort_by', adj, key as NodeId), undefined],
    latex: ([x, key]) => (x === key ? `\\operatorname{sort}\\left(${x}\\right)` : `\\operatorname{sort}_{${key}}\\left(${x}\\right)`),
    precedence: ATOM,
  },
  /** The inverse of sort_by: entry i of x goes back to the place of the i-th smallest key. */
  unsort_by: {
    arity: 2,
    shape: alongLastAxis,
    vectorF64: ([x, key], ctx) => alongLastAxis64(unsortBy64, x as Float64Array, key as Float64Array, ctx.shape),
    tensor: (tf, [x, key]) => alongLastAxisTensor(tf, unsortByTensor, x as T, key as T),
    vjp: (g, [, key], _out, adj) => [g.apply('sort_by', adj, key as NodeId), undefined],
    latex: ([x, key]) => `\\operatorname{sort}^{-1}_{${key}}\\left(${x}\\right)`,
    precedence: ATOM,
  },
  /** The basis vector e_i for a 1-based class index i (mathjs indexing is 1-based). */
  onehot: {
    arity: 1,
    shape: toClassVector,
    vectorF64: (rows, { classes }) => {
      const v = new Float64Array(classes);
      const i = (rows[0] as Float64Array)[0] as number;
      if (Number.isInteger(i) && i >= 1 && i <= classes) v[i - 1] = 1;
      else v.fill(NaN);
      return v;
    },
    tensor: (tf, [i], { classes }) => tf.cast(tf.oneHot(tf.cast(tf.sub(tf.reshape(i as T, [-1]), 1), 'int32'), classes), 'float32'),
    vjp: () => [undefined],
    latex: ([i]) => `e_{${i}}`,
    precedence: ATOM,
  },
  /** A scalar repeated K times: the adjoint of a reduction of a vector of K. */
  expand: {
    arity: 1,
    shape: toClassVector,
    vectorF64: (rows, { classes }) => new Float64Array(classes).fill((rows[0] as Float64Array)[0] as number),
    tensor: (tf, [x], { classes }) => tf.tile(x as T, [1, classes]),
    vjp: (g, _args, _out, adj) => [g.apply('sum', adj)],
    latex: ([x]) => `${x}\\,\\mathbf{1}`,
    precedence: 30,
  },
  ...TENSOR_OPS,
};

/** (1 - x)(1 + x) = 1 - x^2, without the cancellation of 1 - x^2 near |x| = 1. */
function oneMinusSquare(g: NodeBuilder, x: NodeId): NodeId {
  return mul(g, g.apply('sub', c(g, 1), x), g.apply('add', c(g, 1), x));
}

/** 1 where `a` strictly wins, 1/2 on a tie, 0 where it loses: the weight of `a` in max or min. */
function tieWeight(g: NodeBuilder, strict: 'gt' | 'lt', a: NodeId, b: NodeId): NodeId {
  return g.apply('add', g.apply(strict, a, b), mul(g, c(g, 0.5), g.apply('eq', a, b)));
}

/** `s_k` for a name, `[expr]_k` for anything longer, so subscripts never stack. */
function subscripted(v: string): string {
  return /^(\\?[A-Za-z]+|\\hat\{y\})$/.test(v) ? `${v}_k` : `\\left[${v}\\right]_k`;
}
