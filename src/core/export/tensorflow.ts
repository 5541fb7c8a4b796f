/**
 * TensorFlow: tf.math and tf.nn, with the stable tf.math.softplus, tf.math.log_sigmoid and
 * tf.math.reduce_logsumexp. TensorFlow is not installable on LossLab's build machines; this
 * target is printed by the same code as the NumPy export (which is tested numerically) and its
 * API names are pinned by the tests. Logits are (N, K): the gather has one batch dimension.
 */
import type { ExportPlan } from './exportPlan';
import { call, mathFunctions, positionsView, pythonShape, type PythonDialect } from './pythonDialect';
import { renderPythonExport } from './pythonExport';

export const TENSORFLOW: PythonDialect = {
  imports: ['import tensorflow as tf'],
  tensor: {
    sumAlong: (x, a) => `tf.math.reduce_sum(${x}, axis=${a}, keepdims=True)`,
    maxAlong: (x, a) => `tf.math.reduce_max(${x}, axis=${a}, keepdims=True)`,
    minAlong: (x, a) => `tf.math.reduce_min(${x}, axis=${a}, keepdims=True)`,
    logsumexpAlong: (x, a) => `tf.math.reduce_logsumexp(${x}, axis=${a}, keepdims=True)`,
    softmaxAlong: (x, a) => `tf.nn.softmax(${x}, axis=${a})`,
    cumsumAlong: (x, a, reversed) => `tf.math.cumsum(${x}, axis=${a}${reversed ? ', reverse=True' : ''})`,
    diffAlong: (x, a, n) => `${x} - tf.concat([tf.zeros_like(tf.gather(${x}, [0], axis=${a})), tf.gather(${x}, tf.range(0, ${n - 1}), axis=${a})], axis=${a})`,
    sumAll: call('tf.math.reduce_sum'),
    maxAll: call('tf.math.reduce_max'),
    minAll: call('tf.math.reduce_min'),
    logsumexpAll: call('tf.math.reduce_logsumexp'),
    matmul: (a, b) => `tf.linalg.matmul(${a}, ${b})`,
    concatAlong: (a, b, axis) => `tf.concat([${a}, ${b}], axis=${axis})`,
    topk: (x, k) => `tf.math.top_k(${x}, k=${k}).values`,
    transpose: call('tf.linalg.matrix_transpose'),
    reshape: (x, shape) => `tf.reshape(${x}, ${shape})`,
    broadcastTo: (x, shape) => `tf.broadcast_to(${x}, ${shape})`,
    positions: (shape, axis, ref) =>
      `tf.broadcast_to(tf.reshape(tf.range(1, ${shape[axis]} + 1, dtype=${ref}.dtype), ${positionsView(shape, axis)}), ${pythonShape(shape)})`,
  },
  elementwise: {
    ...mathFunctions('tf.math'),
    asin: call('tf.math.asin'),
    acos: call('tf.math.acos'),
    atan: call('tf.math.atan'),
    erf: call('tf.math.erf'),
    lgamma: call('tf.math.lgamma'),
    sigmoid: call('tf.math.sigmoid'),
    softplus: call('tf.math.softplus'),
    relu: call('tf.nn.relu'),
    logSigmoid: call('tf.math.log_sigmoid'),
  },
  atan2: (y, x) => `tf.math.atan2(${y}, ${x})`,
  // tf.math.polygamma takes the order as a tensor of x's dtype and shape.
  polygamma: (n, x) => (n === 0 ? `tf.math.digamma(${x})` : `tf.math.polygamma(tf.fill(tf.shape(${x}), tf.constant(${n}, ${x}.dtype)), ${x})`),
  maximum: (a, b) => `tf.math.maximum(${a}, ${b})`,
  minimum: (a, b) => `tf.math.minimum(${a}, ${b})`,
  clip: (x, lo, hi) => `tf.clip_by_value(${x}, ${lo}, ${hi})`,
  where: (c, a, b) => `tf.where(${c}, ${a}, ${b})`,
  classSum: (v) => `tf.math.reduce_sum(${v}, axis=-1, keepdims=True)`,
  classMax: (v) => `tf.math.reduce_max(${v}, axis=-1, keepdims=True)`,
  classMin: (v) => `tf.math.reduce_min(${v}, axis=-1, keepdims=True)`,
  classMean: (v) => `tf.math.reduce_mean(${v}, axis=-1, keepdims=True)`,
  logsumexp: (v) => `tf.math.reduce_logsumexp(${v}, axis=-1, keepdims=True)`,
  softmax: (v) => `tf.nn.softmax(${v}, axis=-1)`,
  cumsum: (v) => `tf.math.cumsum(${v}, axis=-1)`,
  revcumsum: (v) => `tf.math.cumsum(${v}, axis=-1, reverse=True)`,
  sortBy: (x, key) => (x === key ? `tf.sort(${x}, axis=-1)` : `tf.gather(${x}, tf.argsort(${key}, axis=-1, stable=True), axis=1, batch_dims=1)`),
  unsortBy: (x, key) => `tf.gather(${x}, tf.argsort(tf.argsort(${key}, axis=-1, stable=True), axis=-1), axis=1, batch_dims=1)`,
  gather: (v, i) => `tf.gather(${v}, ${i}, axis=1, batch_dims=1)`,
  oneHot: (i, k, ref) => `tf.one_hot(${/^\d+$/.test(i) ? i : `${i}[..., 0]`}, ${k}, dtype=${ref}.dtype)`,
  expandTo: (x, like) => `tf.broadcast_to(${x}, tf.shape(${like}))`,
  classCount: (v) => `tf.shape(${v})[-1]`,
  castLike: (x, ref) => `tf.cast(${x.bare}, ${ref}.dtype)`,
  toIndex: (x) => `tf.cast(${x.bare}, tf.int64)`,
  // tf.math functions turn a Python number into float32, which float64 tensors refuse.
  lift: (x, ref) => `tf.constant(${x}, dtype=${ref}.dtype)`,
  liftWhereBranches: true,
  stopGradient: call('tf.stop_gradient'),
  logicalAnd: (a, b) => `tf.math.logical_and(${a}, ${b})`,
  logicalOr: (a, b) => `tf.math.logical_or(${a}, ${b})`,
  logicalNot: call('tf.math.logical_not'),
  equal: (a, b) => `tf.math.equal(${a}, ${b})`,
  notEqual: (a, b) => `tf.math.not_equal(${a}, ${b})`,
  mean: call('tf.math.reduce_mean'),
  sum: call('tf.math.reduce_sum'),
  // As Keras losses do: the predictions set the dtype, the other float inputs are cast to it.
  asArray: (name, role, first) =>
    first === undefined || role === 'classIndex' || role === 'labels'
      ? `${name} = tf.convert_to_tensor(${name})`
      : `${name} = tf.cast(${name}, ${first}.dtype)`,
};

export function exportTensorflow(plan: ExportPlan): string {
  return renderPythonExport(plan, { label: 'TensorFlow', dialect: TENSORFLOW });
}
