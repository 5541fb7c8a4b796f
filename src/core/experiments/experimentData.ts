/**
 * The data of one seed: an imbalanced training set whose labels carry the requested noise (the
 * clean labels are kept to measure memorisation), and a balanced test set with clean labels, so
 * that test accuracy is always accuracy against the truth.
 */
import { seededRandom } from '../checks/random';
import { sampleDataset, type LabelledPoints } from './datasets';
import { corruptLabels } from './labelNoise';
import type { ExperimentSetup } from './setup';

export interface ExperimentData {
  /** Training points with the noisy labels the model is trained on. */
  readonly train: LabelledPoints;
  readonly cleanTrainLabels: Int32Array;
  /** The fraction of training labels that the noise changed. */
  readonly flippedFraction: number;
  readonly test: LabelledPoints;
}

/** Independent seeded streams for the data, the noise, the initial weights and the directions. */
export type RandomStream = 'train' | 'test' | 'noise' | 'init' | 'directions' | 'hessian';
const STREAMS: readonly RandomStream[] = ['train', 'test', 'noise', 'init', 'directions', 'hessian'];

export function streamRandom(seed: number, stream: RandomStream): () => number {
  return seededRandom(Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(STREAMS.indexOf(stream) + 1, 0x85ebca6b));
}

/**
 * Points per class for `total` points with largest / smallest = `ratio`: the exponential profile
 * n_k ∝ ratio^(-k / (K - 1)) of Cui et al. 2019 ("Class-Balanced Loss Based on Effective Number
 * of Samples"), rounded so that the counts add up to `total`, each at least 1.
 */
export function imbalancedCounts(total: number, classes: number, ratio: number): number[] {
  const weights = Array.from({ length: classes }, (_, k) => ratio ** (-k / (classes - 1)));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(1, Math.floor((total * w) / sum)));
  for (let k = 0; counts.reduce((a, b) => a + b, 0) < total; k = (k + 1) % classes) counts[k] = (counts[k] as number) + 1;
  return counts;
}

export function makeExperimentData(setup: ExperimentSetup, classes: number, seed: number): ExperimentData {
  const train = sampleDataset(setup.dataset, imbalancedCounts(setup.points, classes, setup.imbalance), setup.dims, streamRandom(seed, 'train'));
  const test = sampleDataset(setup.dataset, imbalancedCounts(setup.testPoints, classes, 1), setup.dims, streamRandom(seed, 'test'));
  const noisy = corruptLabels(train.labels, classes, setup.noise, setup.noiseType, streamRandom(seed, 'noise'));
  let flipped = 0;
  for (let i = 0; i < noisy.length; i++) if (noisy[i] !== train.labels[i]) flipped++;
  return { train: { ...train, labels: noisy }, cleanTrainLabels: train.labels, flippedFraction: flipped / train.rows, test };
}
