/**
 * Seeded synthetic classification data: Gaussian blobs, two moons, spirals and a linearly
 * separable set. Each generator draws a given number of points per class, so that class
 * imbalance is exact rather than sampled.
 */
import { normal } from '../checks/random';

export const DATASETS = ['blobs', 'moons', 'spirals', 'separable'] as const;
export type DatasetName = (typeof DATASETS)[number];

export function isDatasetName(text: string): text is DatasetName {
  return (DATASETS as readonly string[]).includes(text);
}

/** Points with their classes: `x` is rows × dims, row-major; classes are 0-based. */
export interface LabelledPoints {
  readonly x: Float64Array;
  readonly labels: Int32Array;
  readonly rows: number;
  readonly dims: number;
  readonly classes: number;
}

/** Blob centres lie on a circle of this radius (in the first two coordinates), unit variance. */
const BLOB_RADIUS = 2.5;
/** Standard deviation of the Gaussian jitter of moons and spirals. */
const MOON_NOISE = 0.15;
const SPIRAL_NOISE = 0.2;
/** The margin (in score units) that every point of the separable set keeps from the boundary. */
export const SEPARABLE_MARGIN = 0.5;

type PointSampler = (cls: number, classes: number, dims: number, random: () => number, out: Float64Array) => void;

/** Class k centred at (R cos 2πk/K, R sin 2πk/K, 0, ...), with identity covariance. */
const blob: PointSampler = (cls, classes, dims, random, out) => {
  const angle = (2 * Math.PI * cls) / classes;
  for (let j = 0; j < dims; j++) out[j] = normal(random);
  out[0] = (out[0] as number) + BLOB_RADIUS * Math.cos(angle);
  if (dims > 1) out[1] = (out[1] as number) + BLOB_RADIUS * Math.sin(angle);
};

/** scikit-learn's two interleaving half circles, with Gaussian jitter. */
const moon: PointSampler = (cls, _classes, _dims, random, out) => {
  const t = Math.PI * random();
  out[0] = (cls === 0 ? Math.cos(t) : 1 - Math.cos(t)) + MOON_NOISE * normal(random);
  out[1] = (cls === 0 ? Math.sin(t) : 0.5 - Math.sin(t)) + MOON_NOISE * normal(random);
};

/** K interleaved arms: radius t in (0, 1), angle 2πk/K + 4t plus jitter (as in CS231n's toy data). */
const spiral: PointSampler = (cls, classes, _dims, random, out) => {
  const t = random();
  const angle = (2 * Math.PI * cls) / classes + 4 * t + SPIRAL_NOISE * normal(random);
  out[0] = 2 * t * Math.cos(angle);
  out[1] = 2 * t * Math.sin(angle);
};

/**
 * Points x ~ N(0, 4 I) kept when the linear score of class k beats every other by at least
 * SEPARABLE_MARGIN, the scores being x · (cos 2πk/K, sin 2πk/K): the classes are separable by
 * a linear model with a known margin.
 */
const separable: PointSampler = (cls, classes, dims, random, out) => {
  const score = (k: number): number => {
    const angle = (2 * Math.PI * k) / classes + 0.3;
    return (out[0] as number) * Math.cos(angle) + (dims > 1 ? (out[1] as number) * Math.sin(angle) : 0);
  };
  for (;;) {
    for (let j = 0; j < dims; j++) out[j] = 2 * normal(random);
    const own = score(cls);
    let best = -Infinity;
    for (let k = 0; k < classes; k++) if (k !== cls) best = Math.max(best, score(k));
    if (own - best >= SEPARABLE_MARGIN) return;
  }
};

const SAMPLERS: Readonly<Record<DatasetName, PointSampler>> = { blobs: blob, moons: moon, spirals: spiral, separable };

/** The input dimension a dataset has: moons and spirals are planar; blobs and separable take `dims`. */
export function datasetDims(name: DatasetName, dims: number): number {
  return name === 'moons' || name === 'spirals' ? 2 : dims;
}

/** `counts[k]` points of class k, in a seeded random order. */
export function sampleDataset(name: DatasetName, counts: readonly number[], dims: number, random: () => number): LabelledPoints {
  const d = datasetDims(name, dims);
  const classes = counts.length;
  const rows = counts.reduce((a, b) => a + b, 0);
  const order = shuffledIndices(rows, random);
  const x = new Float64Array(rows * d);
  const labels = new Int32Array(rows);
  const point = new Float64Array(d);
  let i = 0;
  counts.forEach((count, cls) => {
    for (let c = 0; c < count; c++, i++) {
      SAMPLERS[name](cls, classes, d, random, point);
      const row = order[i] as number;
      x.set(point, row * d);
      labels[row] = cls;
    }
  });
  return { x, labels, rows, dims: d, classes };
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function shuffledIndices(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}
