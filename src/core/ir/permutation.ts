/**
 * The order that `sort` and `sort_by` put a row in, the same in every executor: ascending, stable
 * (equal keys keep their order) and NaN last (as PyTorch and NumPy sort). An entry's rank is the
 * number of entries that come before it:
 *   j < i comes before i when key_j <= key_i or key_i is NaN,
 *   j > i comes before i when key_j < key_i, or key_i is NaN and key_j is not.
 * sort_by(x, key) puts x_i at position rank_i; unsort_by(x, key) is its inverse, x_(rank_i) at i
 * (the adjoint of sort_by, as a scatter is the adjoint of a gather).
 */
import type * as tfc from '@tensorflow/tfjs-core';

type T = tfc.Tensor;

export function ranks64(key: ArrayLike<number>): Int32Array {
  const K = key.length;
  const rank = new Int32Array(K);
  for (let i = 0; i < K; i++) {
    const ki = key[i] as number;
    const nanI = Number.isNaN(ki);
    let r = 0;
    for (let j = 0; j < K; j++) {
      if (j === i) continue;
      const kj = key[j] as number;
      if (j < i ? kj <= ki || nanI : kj < ki || (nanI && !Number.isNaN(kj))) r++;
    }
    rank[i] = r;
  }
  return rank;
}

export function sortBy64(x: Float64Array, key: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  ranks64(key).forEach((r, i) => (out[r] = x[i] as number));
  return out;
}

export function unsortBy64(x: Float64Array, key: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  ranks64(key).forEach((r, i) => (out[i] = x[r] as number));
  return out;
}

/**
 * The ranks of each row of `key` ([rows, K]) by the rule above, through a [rows, K, K]
 * comparison, as int32. In float32 arithmetic (max for or, products for and): tfjs-wasm's
 * logicalAnd of broadcast bool tensors writes past its output (tfjs 4.22).
 */
function ranksTensor(tf: typeof tfc, key: T): T {
  const K = key.shape[1] as number;
  const ki = tf.expandDims(key, 2);
  const kj = tf.expandDims(key, 1);
  const asFloat = (b: T): T => tf.cast(b, 'float32');
  const nanI = asFloat(tf.isNaN(ki));
  const notNanJ = tf.sub(1, asFloat(tf.isNaN(kj)));
  const pairs = (f: (i: number, j: number) => boolean): T =>
    tf.tensor2d(
      Array.from({ length: K * K }, (_, n) => (f(Math.floor(n / K), n % K) ? 1 : 0)),
      [K, K],
    );
  const earlier = pairs((i, j) => j < i);
  const later = pairs((i, j) => j > i);
  const beforeIfEarlier = tf.maximum(asFloat(tf.lessEqual(kj, ki)), nanI);
  const beforeIfLater = tf.maximum(asFloat(tf.less(kj, ki)), tf.mul(nanI, notNanJ));
  const before = tf.add(tf.mul(earlier, beforeIfEarlier), tf.mul(later, beforeIfLater));
  return tf.cast(tf.sum(before, 2), 'int32');
}

/** Rows of x and key at the same batch size (one of them may be a single broadcast row). */
function sameRows(tf: typeof tfc, x: T, key: T): [T, T] {
  const rows = Math.max(x.shape[0] as number, key.shape[0] as number);
  const grow = (t: T) => (t.shape[0] === rows ? t : tf.broadcastTo(t, [rows, t.shape[1] as number]));
  return [grow(x), grow(key)];
}

/**
 * Row r of the result is x[r, index[r, k]] for k = 1..K. Through a flat gather: tfjs-wasm's
 * gather with batchDims = 1 returns wrong rows (tfjs 4.22), the flat one is right everywhere.
 */
function gatherInRows(tf: typeof tfc, x: T, index: T): T {
  const [rows, K] = x.shape as [number, number];
  const offsets = tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(K, 'int32'));
  const flat = tf.reshape(tf.add(index, tf.expandDims(offsets, 1)), [rows * K]);
  return tf.reshape(tf.gather(tf.reshape(x, [rows * K]), flat), [rows, K]);
}

export function sortByTensor(tf: typeof tfc, x: T, key: T): T {
  const [xs, keys] = sameRows(tf, x, key);
  const rank = ranksTensor(tf, keys);
  const K = keys.shape[1] as number;
  // The entry that goes to position p is the i with rank_i = p: sum_i i [rank_i = p], exact in float32.
  const hit = tf.cast(tf.equal(tf.expandDims(rank, 2), tf.reshape(tf.range(0, K, 1, 'int32'), [1, 1, K])), 'float32');
  const source = tf.cast(tf.sum(tf.mul(hit, tf.reshape(tf.range(0, K, 1, 'float32'), [1, K, 1])), 1), 'int32');
  return gatherInRows(tf, xs, source);
}

export function unsortByTensor(tf: typeof tfc, x: T, key: T): T {
  const [xs, keys] = sameRows(tf, x, key);
  return gatherInRows(tf, xs, ranksTensor(tf, keys));
}

/** `f` on each last-axis slice of rows of shape `shape` (x and key of one shape): sorting a batch of rows. */
export function alongLastAxis64(
  f: (x: Float64Array, key: Float64Array) => Float64Array,
  x: Float64Array,
  key: Float64Array,
  shape: readonly number[],
): Float64Array {
  const n = shape[shape.length - 1] as number;
  if (x.length === n) return f(x, key);
  const out = new Float64Array(x.length);
  for (let at = 0; at < x.length; at += n) out.set(f(x.subarray(at, at + n), key.subarray(at, at + n)), at);
  return out;
}

/** `f` ([rows, K] in, [rows, K] out) on every last-axis slice of tensors [rows, ..., n] of one row shape. */
export function alongLastAxisTensor(tf: typeof tfc, f: (tf: typeof tfc, x: T, key: T) => T, x: T, key: T): T {
  if (x.rank <= 2 && key.rank <= 2) return f(tf, x, key);
  const rows = Math.max(x.shape[0] as number, key.shape[0] as number);
  const shape = [rows, ...x.shape.slice(1)];
  const n = shape[shape.length - 1] as number;
  const flat = (t: T): T => tf.reshape(t.shape[0] === rows ? t : tf.broadcastTo(t, shape), [-1, n]);
  return tf.reshape(f(tf, flat(x), flat(key)), shape);
}
