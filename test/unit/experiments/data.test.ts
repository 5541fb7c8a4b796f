/**
 * Synthetic data and the metrics: exact class counts with the exponential imbalance profile of
 * Cui et al. 2019, seeded determinism, the separable set's margin, clean and balanced test sets,
 * and the expected calibration error of Guo et al. 2017 on cases with a known value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../src/core/checks/random';
import { DATASETS, sampleDataset, SEPARABLE_MARGIN } from '../../../src/core/experiments/datasets';
import { imbalancedCounts, makeExperimentData } from '../../../src/core/experiments/experimentData';
import { accuracy, expectedCalibrationError, predict } from '../../../src/core/experiments/metrics';
import { resolveSetup } from '../../../src/core/experiments/setup';

function setup(input: Parameters<typeof resolveSetup>[0]) {
  const r = resolveSetup(input);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.setup;
}

describe('synthetic data', () => {
  it('splits points between classes with largest / smallest = the imbalance ratio', () => {
    const counts = imbalancedCounts(2000, 3, 10);
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      2000,
    );
    // n_k ∝ 10^(-k/2): 1000/(1 + 10^-0.5 + 0.1) = 706.6 ..., so 707, 224, 71 (up to rounding).
    assert.ok(Math.abs((counts[0] as number) / (counts[2] as number) - 10) < 0.2, `counts ${counts.join(', ')}`);
    assert.ok((counts[0] as number) > (counts[1] as number) && (counts[1] as number) > (counts[2] as number));
    assert.deepEqual(imbalancedCounts(10, 2, 1), [5, 5]);
  });

  it('is determined by the seed, and the test set is balanced with clean labels', () => {
    const s = setup({ dataset: 'spirals', classes: 3, points: 300, testPoints: 90, noise: 0.4, imbalance: 5 });
    const a = makeExperimentData(s, 3, 7);
    const b = makeExperimentData(s, 3, 7);
    const c = makeExperimentData(s, 3, 8);
    assert.deepEqual(a.train.x, b.train.x);
    assert.deepEqual(a.train.labels, b.train.labels);
    assert.notDeepEqual(a.train.x, c.train.x);
    const testCounts = [0, 0, 0];
    for (const y of a.test.labels) testCounts[y] = (testCounts[y] as number) + 1;
    assert.deepEqual(testCounts, [30, 30, 30]);
    assert.ok(Math.abs(a.flippedFraction - 0.4) < 0.1, `flipped ${a.flippedFraction}`);
    let differs = 0;
    a.train.labels.forEach((y, i) => (differs += y === a.cleanTrainLabels[i] ? 0 : 1));
    assert.equal(differs / a.train.rows, a.flippedFraction);
  });

  it('draws every dataset with the requested counts and dimension', () => {
    for (const name of DATASETS) {
      const d = sampleDataset(name, [7, 5], 3, seededRandom(1));
      assert.equal(d.rows, 12);
      assert.equal(d.dims, name === 'moons' || name === 'spirals' ? 2 : 3);
      assert.equal(d.x.length, 12 * d.dims);
      assert.ok(d.x.every(Number.isFinite));
      assert.equal(d.labels.filter((y) => y === 1).length, 5);
    }
  });

  it('keeps the separable set at its margin from the boundary', () => {
    const d = sampleDataset('separable', [100, 100, 100], 2, seededRandom(3));
    for (let i = 0; i < d.rows; i++) {
      const score = (k: number) => {
        const angle = (2 * Math.PI * k) / 3 + 0.3;
        return (d.x[2 * i] as number) * Math.cos(angle) + (d.x[2 * i + 1] as number) * Math.sin(angle);
      };
      const own = d.labels[i] as number;
      for (let k = 0; k < 3; k++) if (k !== own) assert.ok(score(own) - score(k) >= SEPARABLE_MARGIN);
    }
  });
});

describe('metrics', () => {
  it('reads the class and the confidence from K logits or from one score', () => {
    const p = predict(Float64Array.of(0, Math.log(3), 0, 2, 0, 0), 2, 3);
    assert.deepEqual(Array.from(p.predicted), [1, 0]);
    assert.ok(Math.abs((p.confidence[0] as number) - 3 / 5) < 1e-15);
    const binary = predict(Float64Array.of(-Math.log(4), 0.5), 2, 1);
    assert.deepEqual(Array.from(binary.predicted), [0, 1]);
    assert.ok(Math.abs((binary.confidence[0] as number) - 0.8) < 1e-15);
  });

  it('computes the expected calibration error of Guo et al. 2017', () => {
    // Ten predictions at confidence 0.9, nine right: calibrated, ECE 0.
    const predicted = new Int32Array(10);
    const labels = Int32Array.from({ length: 10 }, (_, i) => (i === 0 ? 1 : 0));
    assert.ok(Math.abs(expectedCalibrationError({ predicted, confidence: new Float64Array(10).fill(0.9) }, labels)) < 1e-12);
    assert.equal(accuracy(predicted, labels), 0.9);
    // Half at confidence 1 and all right, half at 0.6 and all wrong: ECE = 0.5·0 + 0.5·0.6.
    const confidence = Float64Array.from({ length: 10 }, (_, i) => (i < 5 ? 1 : 0.6));
    const half = Int32Array.from({ length: 10 }, (_, i) => (i < 5 ? 0 : 1));
    assert.ok(Math.abs(expectedCalibrationError({ predicted, confidence }, half) - 0.3) < 1e-12);
  });
});
