/**
 * The op table's tensor part: ops on rows of any shape (shape.ts), with the axis or the target
 * shape as attributes. Reductions along an axis keep it as a 1, so that their results broadcast
 * back against their arguments in derivative rules; the language reshapes them away.
 *
 * In tensors a value of row shape s is [rows, ...s] ([rows, 1] for a scalar), so row axis a is
 * tensor axis a + 1.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { NodeBuilder, NodeId, OpAttrs, OpContext, OpSpec, TfModule } from './opTypes';
import { alongLastAxisTensor, sortBy64, sortByTensor } from './permutation';
import { broadcastStrides, broadcastsTo, keepAxis, sameShape, ShapeMismatch, sizeOf, type Shape } from './shape';

type T = tfc.Tensor;
type TensorOpName =
  | 'broadcast'
  | 'sum_to'
  | 'reshape'
  | 'iota'
  | 'sum_axis'
  | 'max_axis'
  | 'min_axis'
  | 'logsumexp_axis'
  | 'softmax_axis'
  | 'cumsum_axis'
  | 'revcumsum_axis'
  | 'diff_axis'
  | 'revdiff_axis'
  | 'matmul'
  | 'transpose'
  | 'slice_axis'
  | 'pad_axis'
  | 'concat'
  | 'topk';

const ATOM = 100;
const mul = (g: NodeBuilder, a: NodeId, b: NodeId): NodeId => g.apply('mul', a, b);

/** The tensor dimensions of a row shape: a scalar is stored as one entry. */
export function storedDims(s: Shape): number[] {
  return s.length === 0 ? [1] : [...s];
}

/** A tensor [rows, ...] of more than one dimension per row as [rows, entries]: reductions over a whole row. */
export function flatRows(tf: TfModule, t: T): T {
  return t.rank > 2 ? tf.reshape(t, [t.shape[0] as number, -1]) : t;
}

/** `t`, of row shape `s`, with ones inserted after the row axis up to per-row rank `rank`: NumPy's right alignment. */
export function alignRank(tf: TfModule, t: T, s: Shape, rank: number): T {
  const dims = storedDims(s);
  if (dims.length >= rank) return t;
  return tf.reshape(t, [t.shape[0] as number, ...new Array<number>(rank - dims.length).fill(1), ...dims]);
}

/**
 * The adjoint of a reduction over a whole row, back in the shape of the row: `expand` for a
 * vector of K (which the fused kernels know), a broadcast otherwise.
 */
export function spreadTo(g: NodeBuilder, x: NodeId, to: Shape): NodeId {
  if (sameShape(g.shape(x), to)) return x;
  if (to.length === 1 && to[0] === g.classes && g.shape(x).length === 0) return g.apply('expand', x);
  return g.applyWith('broadcast', { shape: to }, x);
}

function axisOf(attrs: OpAttrs, s: Shape): number {
  const axis = attrs.axis;
  if (axis === undefined || !Number.isInteger(axis) || axis < 0 || axis >= s.length) {
    throw new ShapeMismatch(`axis ${axis === undefined ? '?' : axis + 1} is not an axis of {}`, [s]);
  }
  return axis;
}

function targetOf(attrs: OpAttrs): Shape {
  if (attrs.shape === undefined) throw new Error('bug: a shape attribute is missing');
  return attrs.shape;
}

/** outer × n × inner: the slices a reduction along `axis` of `s` walks. */
function slices(s: Shape, axis: number): { outer: number; n: number; inner: number } {
  return { outer: sizeOf(s.slice(0, axis)), n: s[axis] as number, inner: sizeOf(s.slice(axis + 1)) };
}

/** Reduces each slice along `axis` (kept as 1) with `f`, which reads entry j of the slice through `at`. */
function reduceAxis(x: Float64Array, s: Shape, axis: number, f: (at: (j: number) => number, n: number) => number): Float64Array {
  const { outer, n, inner } = slices(s, axis);
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) out[o * inner + i] = f((j) => x[(o * n + j) * inner + i] as number, n);
  return out;
}

function maxOf(at: (j: number) => number, n: number): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, at(j));
  return m;
}

function logSumExpOf(at: (j: number) => number, n: number): number {
  const m = maxOf(at, n);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(at(j) - m);
  return m + Math.log(s);
}

/** For each entry of a row of `shape` (row-major), the offset sum_d index_d * strides_d: a broadcast's source, a reduction's target. */
export function stridedOffsets(shape: readonly number[], strides: readonly number[]): Int32Array {
  const offsets = new Int32Array(sizeOf(shape));
  const index = new Array<number>(shape.length).fill(0);
  let offset = 0;
  for (let k = 0; k < offsets.length; k++) {
    offsets[k] = offset;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = (index[d] as number) + 1;
      offset += strides[d] as number;
      if ((index[d] as number) < (shape[d] as number)) break;
      offset -= (index[d] as number) * (strides[d] as number);
      index[d] = 0;
    }
  }
  return offsets;
}

/** Entry-wise map from a broadcast source row to the target row's entries. */
function broadcastRow(x: Float64Array, from: Shape, to: Shape): Float64Array {
  const source = stridedOffsets(to, broadcastStrides(from, to));
  return Float64Array.from(source, (at) => x[at] as number);
}

/** The sum of a row of shape `from` down to the shape `to` it was broadcast from. */
function sumToRow(x: Float64Array, from: Shape, to: Shape): Float64Array {
  const target = stridedOffsets(from, broadcastStrides(to, from));
  const out = new Float64Array(sizeOf(to));
  target.forEach((at, k) => (out[at] = (out[at] as number) + (x[k] as number)));
  return out;
}

function iotaRow(s: Shape, axis: number): Float64Array {
  const { outer, n, inner } = slices(s, axis);
  const out = new Float64Array(sizeOf(s));
  for (let o = 0; o < outer; o++) for (let j = 0; j < n; j++) out.fill(j + 1, (o * n + j) * inner, (o * n + j + 1) * inner);
  return out;
}

function rank2(s: Shape, what: string): readonly [number, number] {
  if (s.length !== 2) throw new ShapeMismatch(`${what} takes matrices, but got {}`, [s]);
  return [s[0] as number, s[1] as number];
}

/** The tensor of `ctx.shape` for `rows` rows: how reductions' results come back to the executors' layout. */
function rowsOf(t: T, ctx: OpContext): number[] {
  return [t.shape[0] as number, ...storedDims(ctx.shape)];
}

/** An op along an axis that keeps the argument's shape (softmax, running sums, differences). */
const keepsShapeAlong = ([s]: readonly Shape[], attrs: OpAttrs): Shape => {
  axisOf(attrs, s as Shape);
  return s as Shape;
};

const reductionShape = ([s]: readonly Shape[], attrs: OpAttrs): Shape => keepAxis(s as Shape, axisOf(attrs, s as Shape));

/** The share of each tied extreme along the axis: 1/t for each of t entries equal to the extreme. */
function extremeShare(g: NodeBuilder, x: NodeId, out: NodeId, attrs: OpAttrs): NodeId {
  const hits = g.apply('eq', x, out);
  return g.apply('div', hits, g.applyWith('sum_axis', attrs, hits));
}

function axisExtreme(name: 'max' | 'min'): OpSpec {
  return {
    arity: 1,
    shape: reductionShape,
    vectorF64: ([x], ctx) =>
      reduceAxis(x as Float64Array, ctx.argShapes[0] as Shape, ctx.attrs.axis as number, (at, n) => {
        let m = name === 'max' ? -Infinity : Infinity;
        for (let j = 0; j < n; j++) m = name === 'max' ? Math.max(m, at(j)) : Math.min(m, at(j));
        return m;
      }),
    tensor: (tf, [x], ctx) => (name === 'max' ? tf.max : tf.min)(x as T, (ctx.attrs.axis as number) + 1, true),
    vjp: (g, [x], out, adj, attrs) => [mul(g, adj, extremeShare(g, x as NodeId, out, attrs))],
    latex: ([x]) => `\\${name}_{i} ${x}`,
    precedence: 15,
  };
}

/** Running sums along `axis`, from its first entry (or, reversed, from its last). */
function cumulativeAlong(reversed: boolean): OpSpec {
  return {
    arity: 1,
    shape: keepsShapeAlong,
    vectorF64: ([x], ctx) => {
      const { outer, n, inner } = slices(ctx.argShapes[0] as Shape, ctx.attrs.axis as number);
      const out = new Float64Array((x as Float64Array).length);
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          let total = 0;
          for (let k = 0; k < n; k++) {
            const at = (o * n + (reversed ? n - 1 - k : k)) * inner + i;
            total += (x as Float64Array)[at] as number;
            out[at] = total;
          }
        }
      return out;
    },
    tensor: (tf, [x], ctx) => tf.cumsum(x as T, (ctx.attrs.axis as number) + 1, false, reversed),
    // Each entry feeds every later running sum: the adjoint runs the other way.
    vjp: (g, _args, _out, adj, attrs) => [g.applyWith(reversed ? 'cumsum_axis' : 'revcumsum_axis', attrs, adj)],
    latex: ([x]) => `\\operatorname{${reversed ? 'revcumsum' : 'cumsum'}}\\left(${x}\\right)`,
    precedence: ATOM,
  };
}

/**
 * Differences along `axis`: x_k - x_(k-1) with the first entry kept (diff(cumsum(x)) = x), or,
 * reversed, x_k - x_(k+1) with the last kept: each is the other's adjoint.
 */
function differenceAlong(reversed: boolean): OpSpec {
  return {
    arity: 1,
    shape: keepsShapeAlong,
    vectorF64: ([x], ctx) => {
      const { outer, n, inner } = slices(ctx.argShapes[0] as Shape, ctx.attrs.axis as number);
      const v = x as Float64Array;
      const out = new Float64Array(v.length);
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++)
          for (let k = 0; k < n; k++) {
            const at = (o * n + k) * inner + i;
            const neighbour = reversed ? k + 1 : k - 1;
            out[at] = (v[at] as number) - (neighbour >= 0 && neighbour < n ? (v[(o * n + neighbour) * inner + i] as number) : 0);
          }
      return out;
    },
    tensor: (tf, [x], ctx) => {
      const axis = (ctx.attrs.axis as number) + 1;
      const t = x as T;
      const n = t.shape[axis] as number;
      if (n === 1) return t.clone();
      const size = t.shape.map((d, i) => (i === axis ? n - 1 : (d as number)));
      const begin = t.shape.map((_, i) => (i === axis && reversed ? 1 : 0));
      const neighbours = tf.slice(t, begin, size);
      const zero = tf.zerosLike(
        tf.slice(
          t,
          t.shape.map(() => 0),
          t.shape.map((d, i) => (i === axis ? 1 : (d as number))),
        ),
      );
      return tf.sub(t, tf.concat(reversed ? [neighbours, zero] : [zero, neighbours], axis));
    },
    vjp: (g, _args, _out, adj, attrs) => [g.applyWith(reversed ? 'diff_axis' : 'revdiff_axis', attrs, adj)],
    latex: ([x]) => `\\Delta ${x}`,
    precedence: 30,
  };
}

/** `s` with `n` entries along `axis`. */
function withLength(s: Shape, axis: number, n: number): Shape {
  return s.map((d, i) => (i === axis ? n : d));
}

/** The slice's first entry and length, checked against the `n` entries along its axis. */
function windowOf(attrs: OpAttrs, n: number, s: Shape): { start: number; length: number } {
  const { start, length } = attrs;
  if (start === undefined || length === undefined) throw new Error('bug: a slice without its start or length');
  if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 1 || start + length > n) {
    throw new ShapeMismatch(`entries ${start + 1} to ${start + length} are not all along axis ${(attrs.axis ?? 0) + 1} of {}`, [s]);
  }
  return { start, length };
}

/**
 * Copies, in each slice along `axis`, `length` entries from `from` at `fromStart` to `to` at
 * `toStart`: slicing, padding and concatenation are this one walk with different offsets.
 */
function copyAlong(
  x: Float64Array,
  from: Shape,
  out: Float64Array,
  to: Shape,
  axis: number,
  window: { fromStart: number; toStart: number; length: number },
): void {
  const { outer, n, inner } = slices(from, axis);
  const m = to[axis] as number;
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < window.length; k++) {
      const src = (o * n + window.fromStart + k) * inner;
      out.set(x.subarray(src, src + inner), (o * m + window.toStart + k) * inner);
    }
}

/** Tensors of one row count: a value shared by all rows (one row) meets a batch of them. */
function sameRowCount(tf: TfModule, ts: readonly T[]): T[] {
  const rows = Math.max(...ts.map((t) => t.shape[0] as number));
  return ts.map((t) => (t.shape[0] === rows ? t : tf.broadcastTo(t, [rows, ...t.shape.slice(1)])));
}

/** The k largest entries of one slice, largest first: the stable ascending order of -x (NaN last, as sort puts it). */
function topk64(x: Float64Array, k: number): Float64Array {
  return sortBy64(
    x,
    x.map((v) => -v),
  ).subarray(0, k);
}

export const TENSOR_OPS: Readonly<Record<TensorOpName, OpSpec>> = {
  /** x repeated along the axes where its shape has a 1 or lacks a dimension (NumPy's broadcast_to). */
  broadcast: {
    arity: 1,
    shape: ([s], attrs) => {
      const to = targetOf(attrs);
      if (!broadcastsTo(s as Shape, to)) throw new ShapeMismatch('{} does not broadcast to {}', [s as Shape, to]);
      return to;
    },
    vectorF64: ([x], ctx) => broadcastRow(x as Float64Array, ctx.argShapes[0] as Shape, ctx.shape),
    tensor: (tf, [x], ctx) => tf.broadcastTo(alignRank(tf, x as T, ctx.argShapes[0] as Shape, storedDims(ctx.shape).length), rowsOf(x as T, ctx)),
    vjp: (g, [x], _out, adj) => [g.applyWith('sum_to', { shape: g.shape(x as NodeId) }, adj)],
    latex: ([x]) => `${x}\\,\\mathbf{1}`,
    precedence: 30,
  },
  /** The adjoint of a broadcast: x summed down to the shape it was broadcast from. */
  sum_to: {
    arity: 1,
    shape: ([s], attrs) => {
      const to = targetOf(attrs);
      if (!broadcastsTo(to, s as Shape)) throw new ShapeMismatch('{} does not sum down to {}', [s as Shape, to]);
      return to;
    },
    vectorF64: ([x], ctx) => sumToRow(x as Float64Array, ctx.argShapes[0] as Shape, ctx.shape),
    tensor: (tf, [x], ctx) => {
      const from = ctx.argShapes[0] as Shape;
      const aligned = [...new Array<number>(from.length - ctx.shape.length).fill(1), ...ctx.shape];
      const axes = from.flatMap((d, i) => (aligned[i] === 1 && d !== 1 ? [i + 1] : []));
      const summed = axes.length > 0 ? tf.sum(x as T, axes, true) : (x as T);
      return tf.reshape(summed, rowsOf(x as T, ctx));
    },
    vjp: (g, [x], _out, adj) => [g.applyWith('broadcast', { shape: g.shape(x as NodeId) }, adj)],
    latex: ([x]) => x as string,
    precedence: 15,
  },
  /** The same entries, row-major, in another shape of the same size. */
  reshape: {
    arity: 1,
    shape: ([s], attrs) => {
      const to = targetOf(attrs);
      if (sizeOf(to) !== sizeOf(s as Shape)) throw new ShapeMismatch('{} cannot be reshaped to {}: their sizes differ', [s as Shape, to]);
      return to;
    },
    vectorF64: ([x]) => Float64Array.from(x as Float64Array),
    tensor: (tf, [x], ctx) => tf.reshape(x as T, rowsOf(x as T, ctx)),
    vjp: (g, [x], _out, adj) => [g.applyWith('reshape', { shape: g.shape(x as NodeId) }, adj)],
    latex: ([x]) => x as string,
    precedence: ATOM,
  },
  /** The 1-based position along `axis` of each entry of a row of `shape`: eye, diag and gathers are built from it. */
  iota: {
    arity: 0,
    shape: (_s, attrs) => {
      const to = targetOf(attrs);
      axisOf(attrs, to);
      return to;
    },
    vectorF64: (_x, ctx) => iotaRow(ctx.shape, ctx.attrs.axis as number),
    tensor: (tf, _x, ctx) => tf.tensor(Float32Array.from(iotaRow(ctx.shape, ctx.attrs.axis as number)), [1, ...storedDims(ctx.shape)]),
    vjp: () => [],
    latex: () => 'i',
    precedence: ATOM,
  },
  sum_axis: {
    arity: 1,
    shape: reductionShape,
    vectorF64: ([x], ctx) =>
      reduceAxis(x as Float64Array, ctx.argShapes[0] as Shape, ctx.attrs.axis as number, (at, n) => {
        let s = 0;
        for (let j = 0; j < n; j++) s += at(j);
        return s;
      }),
    tensor: (tf, [x], ctx) => tf.sum(x as T, (ctx.attrs.axis as number) + 1, true),
    vjp: (g, [x], _out, adj) => [g.applyWith('broadcast', { shape: g.shape(x as NodeId) }, adj)],
    latex: ([x]) => `\\sum_{i} ${x}`,
    precedence: 15,
  },
  max_axis: axisExtreme('max'),
  min_axis: axisExtreme('min'),
  logsumexp_axis: {
    arity: 1,
    shape: reductionShape,
    vectorF64: ([x], ctx) => reduceAxis(x as Float64Array, ctx.argShapes[0] as Shape, ctx.attrs.axis as number, logSumExpOf),
    tensor: (tf, [x], ctx) => {
      const axis = (ctx.attrs.axis as number) + 1;
      const m = tf.max(x as T, axis, true);
      // An all -inf (or +inf) slice keeps its extreme: shifting by it would give NaN.
      const shift = tf.where(tf.isFinite(m), m, tf.zerosLike(m));
      return tf.add(shift, tf.log(tf.sum(tf.exp(tf.sub(x as T, shift)), axis, true)));
    },
    vjp: (g, [x], _out, adj, attrs) => [mul(g, adj, g.applyWith('softmax_axis', attrs, x as NodeId))],
    latex: ([x]) => `\\log \\sum_{i} e^{${x}}`,
    precedence: 15,
  },
  softmax_axis: {
    arity: 1,
    shape: keepsShapeAlong,
    vectorF64: ([x], ctx) => {
      const s = ctx.argShapes[0] as Shape;
      const axis = ctx.attrs.axis as number;
      const lse = reduceAxis(x as Float64Array, s, axis, logSumExpOf);
      const { n, inner } = slices(s, axis);
      return (x as Float64Array).map((v, k) => Math.exp(v - (lse[Math.floor(k / (n * inner)) * inner + (k % inner)] as number)));
    },
    tensor: (tf, [x], ctx) => {
      const axis = (ctx.attrs.axis as number) + 1;
      const e = tf.exp(tf.sub(x as T, tf.max(x as T, axis, true)));
      return tf.div(e, tf.sum(e, axis, true));
    },
    // J^T u = y * (u - <u, y>) along the axis, with y = softmax(x).
    vjp: (g, _args, out, adj, attrs) => [mul(g, out, g.apply('sub', adj, g.applyWith('sum_axis', attrs, mul(g, adj, out))))],
    latex: ([x]) => `\\operatorname{softmax}\\left(${x}\\right)`,
    precedence: ATOM,
  },
  cumsum_axis: cumulativeAlong(false),
  revcumsum_axis: cumulativeAlong(true),
  diff_axis: differenceAlong(false),
  revdiff_axis: differenceAlong(true),
  /** The matrix product of an n × k and a k × m matrix. */
  matmul: {
    arity: 2,
    shape: ([a, b]) => {
      const [n, k] = rank2(a as Shape, 'a matrix product');
      const [k2, m] = rank2(b as Shape, 'a matrix product');
      if (k !== k2)
        throw new ShapeMismatch('a matrix product needs the columns of the left to match the rows of the right, but got {} and {}', [a as Shape, b as Shape]);
      return [n, m];
    },
    vectorF64: ([a, b], ctx) => {
      const [n, k] = ctx.argShapes[0] as [number, number];
      const m = (ctx.argShapes[1] as Shape)[1] as number;
      const out = new Float64Array(n * m);
      for (let i = 0; i < n; i++)
        for (let l = 0; l < k; l++) {
          const ail = (a as Float64Array)[i * k + l] as number;
          for (let j = 0; j < m; j++) out[i * m + j] = (out[i * m + j] as number) + ail * ((b as Float64Array)[l * m + j] as number);
        }
      return out;
    },
    tensor: (tf, [a, b]) => {
      const [ra, rb] = [(a as T).shape[0] as number, (b as T).shape[0] as number];
      // A matrix shared by all rows meets a batch of them: tfjs's batched matMul wants equal batches.
      const rows = Math.max(ra, rb);
      const full = (t: T, r: number) => (r === rows ? t : tf.broadcastTo(t, [rows, ...t.shape.slice(1)]));
      return tf.matMul(full(a as T, ra), full(b as T, rb));
    },
    // d(AB) = dA B + A dB: the adjoints are U B^T and A^T U.
    vjp: (g, [a, b], _out, adj) => [g.apply('matmul', adj, g.apply('transpose', b as NodeId)), g.apply('matmul', g.apply('transpose', a as NodeId), adj)],
    latex: ([a, b]) => `${a} ${b}`,
    precedence: 30,
  },
  transpose: {
    arity: 1,
    shape: ([s]) => {
      const [n, m] = rank2(s as Shape, 'a transpose');
      return [m, n];
    },
    vectorF64: ([x], ctx) => {
      const [n, m] = ctx.argShapes[0] as [number, number];
      const out = new Float64Array(n * m);
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = (x as Float64Array)[i * m + j] as number;
      return out;
    },
    tensor: (tf, [x]) => tf.transpose(x as T, [0, 2, 1]),
    vjp: (g, _args, _out, adj) => [g.apply('transpose', adj)],
    latex: ([x]) => `{${x}}^{\\top}`,
    precedence: 40,
  },
  /** Entries start + 1 .. start + length (1-based) along `axis`: the language's x[a:b]. */
  slice_axis: {
    arity: 1,
    shape: ([s], attrs) => {
      const axis = axisOf(attrs, s as Shape);
      return withLength(s as Shape, axis, windowOf(attrs, (s as Shape)[axis] as number, s as Shape).length);
    },
    vectorF64: ([x], ctx) => {
      const { axis = 0, start = 0 } = ctx.attrs;
      const out = new Float64Array(sizeOf(ctx.shape));
      copyAlong(x as Float64Array, ctx.argShapes[0] as Shape, out, ctx.shape, axis, { fromStart: start, toStart: 0, length: ctx.shape[axis] as number });
      return out;
    },
    tensor: (tf, [x], ctx) => {
      const axis = (ctx.attrs.axis as number) + 1;
      const t = x as T;
      return tf.slice(
        t,
        t.shape.map((_, i) => (i === axis ? (ctx.attrs.start as number) : 0)),
        t.shape.map((_, i) => (i === axis ? (ctx.attrs.length as number) : -1)),
      );
    },
    // The adjoint of a slice is the adjoint put back in its place, zero elsewhere.
    vjp: (g, [x], _out, adj, attrs) => [g.applyWith('pad_axis', { axis: attrs.axis, start: attrs.start, shape: g.shape(x as NodeId) }, adj)],
    latex: ([x], { axis = 0, start = 0, length = 1 }) => `\\left[${x}\\right]_{${':,'.repeat(axis)}${start + 1}:${start + length}}`,
    precedence: ATOM,
  },
  /** x in the entries start + 1 .. of a row of `shape` along `axis`, zeros elsewhere: the adjoint of a slice (and of concat). */
  pad_axis: {
    arity: 1,
    shape: ([s], attrs) => {
      const to = targetOf(attrs);
      const axis = axisOf(attrs, to);
      if (!sameShape(withLength(s as Shape, axis, to[axis] as number), to)) throw new ShapeMismatch('{} does not pad to {}', [s as Shape, to]);
      windowOf({ ...attrs, length: (s as Shape)[axis] }, to[axis] as number, to);
      return to;
    },
    vectorF64: ([x], ctx) => {
      const { axis = 0, start = 0 } = ctx.attrs;
      const from = ctx.argShapes[0] as Shape;
      const out = new Float64Array(sizeOf(ctx.shape));
      copyAlong(x as Float64Array, from, out, ctx.shape, axis, { fromStart: 0, toStart: start, length: from[axis] as number });
      return out;
    },
    tensor: (tf, [x], ctx) => {
      const axis = (ctx.attrs.axis as number) + 1;
      const t = x as T;
      const before = ctx.attrs.start as number;
      const after = (ctx.shape[axis - 1] as number) - before - (t.shape[axis] as number);
      return tf.pad(
        t,
        t.shape.map((_, i): [number, number] => (i === axis ? [before, after] : [0, 0])),
      );
    },
    vjp: (g, [x], _out, adj, attrs) => [
      g.applyWith('slice_axis', { axis: attrs.axis, start: attrs.start, length: g.shape(x as NodeId)[attrs.axis as number] }, adj),
    ],
    // Where a gradient of a slice lands: from entry start + 1 along the axis, zero elsewhere.
    latex: ([x], { axis = 0, start = 0 }) => `\\operatorname{pad}_{${':,'.repeat(axis)}${start + 1}}\\left(${x}\\right)`,
    precedence: ATOM,
  },
  /** a then b along `axis`: their shapes agree elsewhere. */
  concat: {
    arity: 2,
    shape: ([a, b], attrs) => {
      const axis = axisOf(attrs, a as Shape);
      const sb = b as Shape;
      if (sb.length !== (a as Shape).length || !sameShape(withLength(sb, axis, (a as Shape)[axis] as number), a as Shape)) {
        throw new ShapeMismatch(`concat along axis ${axis + 1} needs the shapes to agree on every other axis, but got {} and {}`, [a as Shape, sb]);
      }
      return withLength(a as Shape, axis, ((a as Shape)[axis] as number) + (sb[axis] as number));
    },
    vectorF64: ([a, b], ctx) => {
      const axis = ctx.attrs.axis as number;
      const [sa, sb] = ctx.argShapes as [Shape, Shape];
      const out = new Float64Array(sizeOf(ctx.shape));
      copyAlong(a as Float64Array, sa, out, ctx.shape, axis, { fromStart: 0, toStart: 0, length: sa[axis] as number });
      copyAlong(b as Float64Array, sb, out, ctx.shape, axis, { fromStart: 0, toStart: sa[axis] as number, length: sb[axis] as number });
      return out;
    },
    tensor: (tf, args, ctx) => tf.concat(sameRowCount(tf, args), (ctx.attrs.axis as number) + 1),
    vjp: (g, [a, b], _out, adj, attrs) => {
      const axis = attrs.axis as number;
      const na = g.shape(a as NodeId)[axis] as number;
      return [
        g.applyWith('slice_axis', { axis, start: 0, length: na }, adj),
        g.applyWith('slice_axis', { axis, start: na, length: g.shape(b as NodeId)[axis] as number }, adj),
      ];
    },
    // A plain comma: `\\,` is a KaTeX macro, and a concat is reprinted at every use in a gradient (KaTeX stops at 1000 expansions).
    latex: ([a, b]) => `\\left[${a}, ${b}\\right]`,
    precedence: ATOM,
  },
  /**
   * The k largest entries of each last-axis slice, largest first (PyTorch's topk(x, k).values):
   * sort_by(x, -x) cut to k, so its order (stable, NaN last) is the sort's in every executor.
   */
  topk: {
    arity: 1,
    shape: ([s], attrs) => {
      const shape = s as Shape;
      if (shape.length === 0) throw new ShapeMismatch('topk acts on a vector or along the last axis of a tensor, but got {}', [shape]);
      const n = shape[shape.length - 1] as number;
      const k = attrs.length;
      if (k === undefined || !Number.isInteger(k) || k < 1 || k > n)
        throw new ShapeMismatch(`topk: k = ${k} is not from 1 to the last axis's length, in {}`, [shape]);
      return withLength(shape, shape.length - 1, k);
    },
    vectorF64: ([x], ctx) => {
      const from = ctx.argShapes[0] as Shape;
      const n = from[from.length - 1] as number;
      const k = ctx.attrs.length as number;
      const v = x as Float64Array;
      const out = new Float64Array((v.length / n) * k);
      for (let at = 0, o = 0; at < v.length; at += n, o += k) out.set(topk64(v.subarray(at, at + n), k), o);
      return out;
    },
    tensor: (tf, [x], ctx) => {
      const t = x as T;
      const sorted = alongLastAxisTensor(tf, sortByTensor, t, tf.neg(t));
      return tf.slice(
        sorted,
        sorted.shape.map(() => 0),
        sorted.shape.map((_, i) => (i === sorted.rank - 1 ? (ctx.attrs.length as number) : -1)),
      );
    },
    // The permutation gradient: the adjoint of the j-th largest goes back to the entry it came from; the others get 0.
    vjp: (g, [x], _out, adj) => {
      const shape = g.shape(x as NodeId);
      const spread = g.applyWith('pad_axis', { axis: shape.length - 1, start: 0, shape }, adj);
      return [g.apply('unsort_by', spread, g.apply('neg', x as NodeId))];
    },
    latex: ([x], { length }) => `\\operatorname{top}_{${length}}\\left(${x}\\right)`,
    precedence: ATOM,
  },
};
