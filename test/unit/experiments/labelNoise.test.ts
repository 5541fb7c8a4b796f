/**
 * Robustness to symmetric label noise (Ghosh, Kumar & Sastry 2017, "Robust Loss Functions under
 * Label Noise for Deep Neural Networks", Theorem 1): a symmetric loss such as MAE over the softmax
 * has the same risk minimiser under symmetric noise of rate η < (K - 1) / K as without noise, so
 * its clean test accuracy barely moves at η = 0.4, K = 3, while cross-entropy, which is not
 * symmetric, fits the flipped labels and loses accuracy (their section 4; also Zhang & Sabuncu
 * 2018). Same data, same initial weights, five seeds; the statistics and their margins are below.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runExperiment } from '../../../src/core/experiments/experiment';
import { corruptLabels } from '../../../src/core/experiments/labelNoise';
import { float64Engine } from '../../../src/core/experiments/programEngine';
import type { ExperimentReport } from '../../../src/core/experiments/report';
import type { ExperimentSetupInput } from '../../../src/core/experiments/setup';
import { seededRandom } from '../../../src/core/checks/random';

const TEXT = ['@classes 3', 'ce(s, y) = logsumexp(s) - s[y]', 'mae(s, y) = 2 - 2 * softmax(s)[y]'].join('\n');
const SEEDS = [1, 2, 3, 4, 5];
// A tanh MLP large enough for cross-entropy to memorise 300 noisy points. (With ReLU, MAE
// sometimes loses a class for good, the underfitting of Zhang & Sabuncu 2018, which is about
// optimisation, not about the noise.)
const SETUP: ExperimentSetupInput = {
  dataset: 'blobs',
  classes: 3,
  points: 300,
  testPoints: 1000,
  model: 'mlp',
  hidden: [32, 32],
  activation: 'tanh',
  optimizer: 'adam',
  lr: 0.01,
  epochs: 400,
  seeds: SEEDS,
};

async function accuracies(noise: number): Promise<{ report: ExperimentReport; ce: number[]; mae: number[] }> {
  const r = await runExperiment(float64Engine, { text: TEXT, loss: 'ce', with: ['mae'], setup: { ...SETUP, noise } });
  assert.ok(r?.ok, r && !r.ok ? r.message : 'cancelled');
  const of = (loss: string) => SEEDS.map((seed) => r.value.runs.find((run) => run.loss === loss && run.seed === seed)?.test.accuracy as number);
  return { report: r.value, ce: of('ce'), mae: of('mae') };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]): number => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

describe('label noise', () => {
  it('flips a fraction r of the labels, to the other classes uniformly (symmetric noise)', () => {
    const labels = Int32Array.from({ length: 30_000 }, (_, i) => i % 3);
    const noisy = corruptLabels(labels, 3, 0.4, 'symmetric', seededRandom(1));
    const moved = new Array<number>(3).fill(0);
    let flipped = 0;
    noisy.forEach((y, i) => {
      if (y !== labels[i]) {
        flipped++;
        if (labels[i] === 0) moved[y] = (moved[y] as number) + 1;
      }
    });
    // Binomial(30000, 0.4): sd 0.0028; 0.01 is more than 3.5 sd.
    assert.ok(Math.abs(flipped / 30_000 - 0.4) < 0.01, `flipped ${flipped / 30_000}`);
    assert.equal(moved[0], 0);
    // Class 0's 4000 flips split evenly between classes 1 and 2: sd 32, 150 is more than 4.5 sd.
    assert.ok(Math.abs((moved[1] as number) - (moved[2] as number)) < 150, `class 0 went to 1: ${moved[1]}, to 2: ${moved[2]}`);
    const asymmetric = corruptLabels(labels, 3, 0.4, 'asymmetric', seededRandom(1));
    asymmetric.forEach((y, i) => assert.ok(y === labels[i] || y === ((labels[i] as number) + 1) % 3));
    // With two classes, only the positive class flips (class-conditional rates (0, r)).
    const binary = Int32Array.from({ length: 1000 }, (_, i) => i % 2);
    const flippedBinary = corruptLabels(binary, 2, 0.4, 'asymmetric', seededRandom(2));
    flippedBinary.forEach((y, i) => assert.ok(binary[i] === 1 || y === 0, 'a negative label flipped'));
    assert.ok(flippedBinary.some((y, i) => y !== binary[i]));
  });

  it('leaves MAE within a few points of its clean accuracy at 40% symmetric noise, while cross-entropy drops (Ghosh, Kumar & Sastry 2017)', async () => {
    const clean = await accuracies(0);
    const noisy = await accuracies(0.4);
    for (const d of noisy.report.data) assert.ok(Math.abs(d.flipped - 0.4) < 0.08, `seed ${d.seed}: ${d.flipped} of the labels flipped`);
    const maeDrop = SEEDS.map((_, k) => (clean.mae[k] as number) - (noisy.mae[k] as number));
    const ceDrop = SEEDS.map((_, k) => (clean.ce[k] as number) - (noisy.ce[k] as number));
    const detail = `MAE drops ${maeDrop.map((d) => d.toFixed(3)).join(', ')}; CE drops ${ceDrop.map((d) => d.toFixed(3)).join(', ')}`;
    // Measured: MAE drops 1.2 points on average (at most 2.3), CE 23.9 (at least 15.4).
    assert.ok(mean(maeDrop) < 0.05, `MAE should stay within 5 points of its clean accuracy on average: ${detail}`);
    assert.ok(mean(ceDrop) > 0.1, `cross-entropy should lose more than 10 points on average: ${detail}`);
    // Paired by seed: cross-entropy loses more on every seed, by at least 5 points (measured 13.5),
    // and the mean gap is more than 5 standard errors from 0 (measured 7.4).
    const gap = ceDrop.map((d, k) => d - (maeDrop[k] as number));
    gap.forEach((g, k) => assert.ok(g > 0.05, `seed ${SEEDS[k]}: CE lost only ${g} more than MAE; ${detail}`));
    const t = mean(gap) / (sd(gap) / Math.sqrt(gap.length));
    assert.ok(t > 5, `paired t = ${t}; ${detail}`);
  });
});
