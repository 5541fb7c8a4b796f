/**
 * log-gamma and polygamma on tensors, for TensorFlow.js, which has neither: the float64
 * algorithms of special.ts in float32 tensor ops. The recurrence runs as many steps as the
 * smallest argument needs (read from the data: these rules run on real tensors, not a traced
 * graph), then Stirling's or the asymptotic series.
 */
import type * as tfc from '@tensorflow/tfjs-core';

type T = tfc.Tensor;
type TfModule = typeof tfc;

/** Steps of x -> x + 1 until every entry is at least `target` (capped: beyond, the caller's NaN). */
function stepsTo(x: T, target: number): number {
  let least = Infinity;
  for (const v of x.dataSync()) if (v < least) least = v;
  return Number.isFinite(least) ? Math.min(10_000, Math.max(0, Math.ceil(target - least))) : 0;
}

/**
 * sin(pi x) with x reduced to [-1/2, 1/2] first, and the sign of the half-turns. Near 0 by its
 * series: tfjs-wasm's sin returns 0 for arguments below about 1e-6.
 */
function sinPi(tf: TfModule, x: T): T {
  const n = tf.round(x);
  const t = tf.mul(Math.PI, tf.sub(x, n));
  const s = tf.where(tf.less(tf.abs(t), 1e-3), tf.mul(t, tf.sub(1, tf.div(tf.square(t), 6))), tf.sin(t));
  const odd = tf.notEqual(tf.mod(tf.abs(n), 2), 0);
  return tf.where(odd, tf.neg(s), s);
}

export function logGammaTensor(tf: TfModule, x: T): T {
  const reflect = tf.less(x, 0.5);
  let z = tf.where(reflect, tf.sub(1, x), x);
  let logProduct = tf.zerosLike(z);
  for (let k = stepsTo(z, 8); k > 0; k--) {
    const small = tf.less(z, 8);
    logProduct = tf.add(logProduct, tf.where(small, tf.log(z), tf.zerosLike(z)));
    z = tf.where(small, tf.add(z, 1), z);
  }
  // Stirling: (z - 1/2) log z - z + log(2 pi) / 2 + 1/(12 z) - 1/(360 z^3) + 1/(1260 z^5).
  const inverse = tf.reciprocal(z);
  const inverse2 = tf.square(inverse);
  const series = tf.mul(inverse, tf.add(1 / 12, tf.mul(inverse2, tf.add(-1 / 360, tf.mul(inverse2, 1 / 1260)))));
  const stirling = tf.add(tf.sub(tf.mul(tf.sub(z, 0.5), tf.log(z)), z), tf.add(0.5 * Math.log(2 * Math.PI), series));
  const shifted = tf.sub(stirling, logProduct);
  const pole = tf.logicalAnd(tf.lessEqual(x, 0), tf.equal(x, tf.round(x)));
  const reflected = tf.sub(tf.log(tf.div(Math.PI, tf.abs(sinPi(tf, x)))), shifted);
  return tf.where(pole, tf.fill(x.shape, Infinity), tf.where(reflect, reflected, shifted));
}

const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66];
const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

export function polygammaTensor(tf: TfModule, order: T, x: T): T {
  const n = order.dataSync()[0] as number;
  if (!(Number.isInteger(n) && n >= 0)) return tf.fill(x.shape, NaN);
  const reflect = n === 0 ? tf.less(x, 0) : undefined;
  let z = reflect ? tf.where(reflect, tf.sub(1, x), x) : x;
  const sign = n % 2 === 0 ? -1 : 1;
  const target = 10 + n;
  let shift = tf.zerosLike(z);
  for (let k = stepsTo(z, target); k > 0; k--) {
    const small = tf.less(z, target);
    shift = tf.add(shift, tf.where(small, tf.pow(z, -(n + 1)), tf.zerosLike(z)));
    z = tf.where(small, tf.add(z, 1), z);
  }
  let asymptotic: T;
  if (n === 0) {
    asymptotic = tf.sub(tf.log(z), tf.div(0.5, z));
    for (let k = 1; k <= BERNOULLI.length; k++) asymptotic = tf.sub(asymptotic, tf.div((BERNOULLI[k - 1] as number) / (2 * k), tf.pow(z, 2 * k)));
  } else {
    let series = tf.add(tf.div(factorial(n - 1), tf.pow(z, n)), tf.div(factorial(n) / 2, tf.pow(z, n + 1)));
    for (let k = 1; k <= BERNOULLI.length; k++) {
      const coefficient = ((BERNOULLI[k - 1] as number) * factorial(2 * k + n - 1)) / factorial(2 * k);
      series = tf.add(series, tf.div(coefficient, tf.pow(z, 2 * k + n)));
    }
    asymptotic = tf.mul(sign, series);
  }
  const value = n === 0 ? tf.sub(asymptotic, shift) : tf.add(asymptotic, tf.mul(sign * factorial(n), shift));
  const shifted = reflect ? tf.where(reflect, tf.sub(value, tf.div(tf.mul(Math.PI, tf.cos(tf.mul(Math.PI, x))), sinPi(tf, x))), value) : value;
  const pole = tf.logicalAnd(tf.lessEqual(x, 0), tf.equal(x, tf.round(x)));
  const atPole = n === 0 ? tf.where(tf.equal(x, 0), tf.fill(x.shape, -Infinity), tf.fill(x.shape, NaN)) : tf.fill(x.shape, n % 2 === 1 ? Infinity : NaN);
  return tf.where(pole, atPole, shifted);
}
