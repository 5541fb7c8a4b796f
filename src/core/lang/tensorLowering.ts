/**
 * How the language's tensor operations lower to IR ops: reductions along an axis (1-based, as
 * the language's indexing is), the matrix product of mathjs's `*`, gathers by class labels, eye
 * and diag. Each returns a node or a message; shape mismatches inside throw ShapeMismatch, which
 * the lowering reports at the expression.
 */
import type { Graph, NodeId } from '../ir/graph';
import { dropAxis, ShapeMismatch, sizeOf } from '../ir/shape';

/** A node, or a message: at the argument `arg` (0-based) when it is that argument's fault, else at the call. */
export type Lowering = { ok: true; node: NodeId } | { ok: false; message: string; arg?: number };

const ok = (node: NodeId): Lowering => ({ ok: true, node });
const fail = (message: string, arg?: number): Lowering => (arg === undefined ? { ok: false, message } : { ok: false, message, arg });

export type AxisReduction = 'sum_axis' | 'max_axis' | 'min_axis' | 'logsumexp_axis';

/** The 0-based axis that the constant `a` names (1-based) of `x`, or a message. */
export function axisOf(g: Graph, x: NodeId, a: NodeId, what: string): { ok: true; axis: number } | { ok: false; message: string } {
  const rank = g.shape(x).length;
  const value = g.constValue(a);
  if (rank === 0) return { ok: false, message: `${what} along an axis takes a tensor, but got a scalar` };
  if (value === undefined || !Number.isInteger(value) || value < 1 || value > rank) {
    return { ok: false, message: `${what}(x, axis): the axis is a whole number from 1 to ${rank} (the rank of x), written as a number` };
  }
  return { ok: true, axis: value - 1 };
}

/** `op` along `axis`, the axis dropped: sum(S, 2) of a B × B matrix is a vector of B. */
export function reduceAlong(g: Graph, op: AxisReduction, x: NodeId, axis: number): NodeId {
  return g.applyWith('reshape', { shape: dropAxis(g.shape(x), axis) }, g.applyWith(op, { axis }, x));
}

/** mean(x, axis): the sum along it over its length. */
export function meanAlong(g: Graph, x: NodeId, axis: number): NodeId {
  return g.apply('div', reduceAlong(g, 'sum_axis', x, axis), g.constant(g.shape(x)[axis] as number));
}

/** mean(x): the sum of every entry over their number. */
export function meanOfAll(g: Graph, x: NodeId): NodeId {
  return g.apply('div', g.apply('sum', x), g.constant(sizeOf(g.shape(x))));
}

/** log_softmax along `axis`: x - logsumexp(x, axis), kept for broadcasting. */
export function logSoftmaxAlong(g: Graph, x: NodeId, axis: number): NodeId {
  return g.apply('sub', x, g.applyWith('logsumexp_axis', { axis }, x));
}

/**
 * mathjs's `*` on tensors: matrix times matrix, matrix times vector, vector times matrix. A
 * vector is a column on the right and a row on the left, as in NumPy's matmul.
 */
export function matrixProduct(g: Graph, a: NodeId, b: NodeId): Lowering {
  const [sa, sb] = [g.shape(a), g.shape(b)];
  if (sa.length > 2 || sb.length > 2) return fail('`*` is the matrix product of matrices and vectors; for rank-3 tensors use `.*` or sum(x, axis)');
  if (sa.length === 1 && sb.length === 1) return fail('`*` between two vectors is ambiguous: use `.*` for the element-wise product, or dot(a, b)');
  const left = sa.length === 1 ? g.applyWith('reshape', { shape: [1, sa[0] as number] }, a) : a;
  const right = sb.length === 1 ? g.applyWith('reshape', { shape: [sb[0] as number, 1] }, b) : b;
  const product = g.apply('matmul', left, right);
  const out = g.shape(product);
  if (sa.length === 1) return ok(g.applyWith('reshape', { shape: [out[1] as number] }, product));
  if (sb.length === 1) return ok(g.applyWith('reshape', { shape: [out[0] as number] }, product));
  return ok(product);
}

/**
 * x[i] for x of shape [..., n] and i of shape [...]: the entry i (1-based) of each last-axis
 * slice, as PyTorch's gather(x, -1, i) does. Built as a sum against a one-hot mask, so its
 * derivative needs no scatter: the adjoint lands on the chosen entries.
 */
export function gatherLast(g: Graph, x: NodeId, i: NodeId): Lowering {
  const sx = g.shape(x);
  const si = g.shape(i);
  const last = sx.length - 1;
  const lead = sx.slice(0, last);
  if (si.length > lead.length || !si.every((d, k) => d === lead[lead.length - si.length + k] || d === 1)) {
    return fail(`x[i] picks one entry of each last-axis slice of x: i must have the shape of x without its last axis, [${lead.join(', ')}]`);
  }
  const column = g.applyWith('reshape', { shape: [...si, 1] }, i);
  const mask = g.apply('eq', g.applyWith('iota', { shape: sx, axis: last }), column);
  return ok(reduceAlong(g, 'sum_axis', g.apply('mul', x, mask), last));
}

/** The n × n identity. */
export function identity(g: Graph, n: number): NodeId {
  const shape = [n, n];
  return g.apply('eq', g.applyWith('iota', { shape, axis: 0 }), g.applyWith('iota', { shape, axis: 1 }));
}

/** The diagonal of a square matrix, as a vector. */
export function diagonal(g: Graph, s: NodeId): Lowering {
  const [n, m] = g.shape(s);
  if (g.shape(s).length !== 2 || n !== m) return fail('diag takes a square matrix');
  return ok(reduceAlong(g, 'sum_axis', g.apply('mul', s, identity(g, n as number)), 1));
}

/** A whole number known before anything runs (a number, a size, arithmetic of them), or undefined. */
function wholeConstant(g: Graph, id: NodeId): number | undefined {
  const v = g.constValue(id);
  return v !== undefined && Number.isInteger(v) ? v : undefined;
}

/**
 * topk(x, k): the k largest entries of each last-axis slice, largest first. k is fixed when the
 * loss compiles, as the shape [..., k] of the result depends on it.
 */
export function topkAlongLast(g: Graph, x: NodeId, k: NodeId): Lowering {
  const shape = g.shape(x);
  if (shape.length === 0) return fail('topk(x, k) takes a vector or a tensor, but got a scalar', 0);
  const n = shape[shape.length - 1] as number;
  const value = wholeConstant(g, k);
  if (value === undefined) {
    const c = g.constValue(k);
    return fail(
      c === undefined
        ? 'topk(x, k): k must be known before anything runs: a whole number or a size (not a param or an input)'
        : `topk(x, k): k is a whole number, got ${c}`,
      1,
    );
  }
  if (value < 1 || value > n) return fail(`topk(x, k): k = ${value} is outside 1..${n}, the length of the last axis of x`, 1);
  return ok(g.applyWith('topk', { length: value }, x));
}

/** concat(a, b) along the last axis, or concat(a, b, axis) along a 1-based axis: both of one rank, equal elsewhere. */
export function concatAlong(g: Graph, a: NodeId, b: NodeId, axisArg: NodeId | undefined): Lowering {
  const [sa, sb] = [g.shape(a), g.shape(b)];
  // Thrown, so that the lowering writes the shapes in the declared sizes' names.
  if (sa.length === 0 || sb.length === 0) throw new ShapeMismatch('concat takes vectors or tensors, but got {} and {}', [sa, sb]);
  if (sa.length !== sb.length)
    throw new ShapeMismatch('concat needs two tensors of one rank, but got {} and {} (a vector becomes a matrix with column(v) or row(v))', [sa, sb]);
  let axis = sa.length - 1;
  if (axisArg !== undefined) {
    const found = axisOf(g, a, axisArg, 'concat');
    if (!found.ok) return fail(found.message, 2);
    axis = found.axis;
  }
  return ok(g.applyWith('concat', { axis }, a, b));
}
