/**
 * Loss landscapes after Li, Xu, Taylor, Studer & Goldstein 2018, "Visualizing the Loss Landscape
 * of Neural Nets": a slice through a trained minimum has its lowest value at the centre, and
 * filter-wise normalised directions make the slice invariant to the rescaling of a ReLU layer by
 * c and of the next by 1/c (section 4), which leaves the network's function unchanged, while raw
 * Gaussian directions are not. The linear path of Goodfellow, Vinyals & Saxe 2015 runs from the
 * initial risk to the trained one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLoss } from '../../../src/core/analyze';
import { normal, seededRandom } from '../../../src/core/checks/random';
import { sampleDataset } from '../../../src/core/experiments/datasets';
import { corruptLabels } from '../../../src/core/experiments/labelNoise';
import { filterNormalizedDirection, linearPath, lineSlice, linspace, surfaceSlice } from '../../../src/core/experiments/landscape';
import { initialParameters, modelShape, type LayerShape, type ModelShape } from '../../../src/core/experiments/model';
import { compileObjective } from '../../../src/core/experiments/objective';
import { float64Engine } from '../../../src/core/experiments/programEngine';
import { EmpiricalRisk } from '../../../src/core/experiments/risk';
import type { Activation } from '../../../src/core/experiments/setup';
import { train } from '../../../src/core/experiments/train';

const CE = '@classes 3\nce(s, y) = logsumexp(s) - s[y]';

/** Overlapping blobs with 20% symmetric noise: the risk has a finite minimiser. */
function noisyBlobs(hidden: readonly number[], activation: Activation): { risk: EmpiricalRisk; shape: ModelShape; initial: Float64Array } {
  const found = findLoss(CE);
  if (!found.ok) throw new Error('bad test loss');
  const data = sampleDataset('blobs', [60, 60, 60], 2, seededRandom(4));
  const labels = corruptLabels(data.labels, 3, 0.2, 'symmetric', seededRandom(5));
  const objective = compileObjective(float64Engine, found.loss, {});
  const shape = modelShape(2, hidden, 3, activation);
  return { risk: new EmpiricalRisk(shape, objective, data.x, data.rows, labels), shape, initial: initialParameters(shape, seededRandom(6)) };
}

async function trainedTheta(risk: EmpiricalRisk, initial: Float64Array): Promise<Float64Array> {
  // Adam to get close, then plain gradient descent to settle without Adam's oscillation.
  const adam = await train(risk, initial, { optimizer: 'adam', lr: 0.01, epochs: 1500 });
  assert.ok(adam);
  const gd = await train(risk, adam.theta, { optimizer: 'gd', lr: 0.1, epochs: 1500 });
  assert.ok(gd);
  return gd.theta;
}

function argmin(values: readonly (readonly number[])[]): [number, number] {
  let best: [number, number] = [0, 0];
  values.forEach((row, j) => row.forEach((v, i) => (v < (values[best[0]]?.[best[1]] as number) ? (best = [j, i]) : undefined)));
  return best;
}

/** θ with layer l's weights and biases times c and layer l + 1's weights divided by c. */
function rescaled(shape: ModelShape, theta: Float64Array, l: number, c: number): Float64Array {
  const out = Float64Array.from(theta);
  const layer = shape.layers[l] as LayerShape;
  const next = shape.layers[l + 1] as LayerShape;
  for (let i = layer.weights; i < layer.biases + layer.outputs; i++) out[i] = (out[i] as number) * c;
  for (let i = next.weights; i < next.biases; i++) out[i] = (out[i] as number) / c;
  return out;
}

describe('model loss landscape (Li et al. 2018)', () => {
  for (const [label, hidden] of [
    ['linear model', []],
    ['tanh MLP', [8, 8]],
  ] as const) {
    it(`has the trained minimum at the centre of the 2-D slice: ${label}`, async () => {
      const { risk, shape, initial } = noisyBlobs(hidden, 'tanh');
      const theta = await trainedTheta(risk, initial);
      const random = seededRandom(8);
      const d1 = filterNormalizedDirection(shape, theta, random);
      const d2 = filterNormalizedDirection(shape, theta, random);
      const axis = linspace(-1, 1, 21);
      const values = await surfaceSlice(risk, theta, d1, d2, axis, axis);
      assert.ok(values);
      const centre = values[10]?.[10] as number;
      assert.ok(Math.abs(centre - (await risk.value(theta))) < 1e-12, 'the centre is L(θ*)');
      assert.deepEqual(argmin(values), [10, 10], `the lowest value is at ${argmin(values).join(', ')}, not the centre`);
      // Strictly lower than the nearest grid points, a step of 0.1 filter norms away.
      for (const [j, i] of [
        [9, 10],
        [11, 10],
        [10, 9],
        [10, 11],
      ] as const)
        assert.ok((values[j]?.[i] as number) > centre, `value at (${j}, ${i}) ${values[j]?.[i]} is not above the centre's ${centre}`);
      // The 1-D slice along d1 is the β = 0 row of the 2-D slice.
      const line = await lineSlice(risk, theta, d1, axis);
      line.forEach((v, i) => assert.ok(Math.abs(v - (values[10]?.[i] as number)) < 1e-12));
      // The linear path runs from L(θ0) to L(θ*).
      const path = await linearPath(risk, initial, theta, [0, 0.5, 1]);
      assert.ok(Math.abs((path[0] as number) - (await risk.value(initial))) < 1e-12);
      assert.ok(Math.abs((path[2] as number) - centre) < 1e-12);
    });
  }

  it('is unchanged when a ReLU layer is scaled by c and the next by 1/c, with filter-wise normalised directions only', async () => {
    const { risk, shape, initial } = noisyBlobs([8, 8], 'relu');
    const trained = await train(risk, initial, { optimizer: 'adam', lr: 0.01, epochs: 300 });
    assert.ok(trained);
    const theta = trained.theta;
    const axis = linspace(-1, 1, 9);
    const sliceWith = async (t: Float64Array, direction: (t: Float64Array, random: () => number) => Float64Array) => {
      const random = seededRandom(21);
      const values = await surfaceSlice(risk, t, direction(t, random), direction(t, random), axis, axis);
      assert.ok(values);
      return values.flat();
    };
    const filterWise = (t: Float64Array, random: () => number) => filterNormalizedDirection(shape, t, random);
    // Gaussian weights directions of a fixed scale, not normalised per filter (biases 0 as well).
    const raw = (_t: Float64Array, random: () => number) => {
      const d = new Float64Array(shape.size);
      for (const layer of shape.layers) for (let i = layer.weights; i < layer.biases; i++) d[i] = 0.5 * normal(random);
      return d;
    };
    const reference = await sliceWith(theta, filterWise);
    for (const [layer, c] of [
      [0, 10],
      [1, 0.1],
    ] as const) {
      const scaled = rescaled(shape, theta, layer, c);
      assert.ok(Math.abs((await risk.value(scaled)) - (await risk.value(theta))) < 1e-12, 'the rescaled network computes the same function');
      const values = await sliceWith(scaled, filterWise);
      values.forEach((v, k) =>
        assert.ok(Math.abs(v - (reference[k] as number)) < 1e-9 * Math.abs(reference[k] as number), `grid point ${k}: ${v} vs ${reference[k]}`),
      );
      // Without the normalisation, the same directions see a different landscape.
      const unnormalised = await sliceWith(theta, raw);
      const unnormalisedScaled = await sliceWith(scaled, raw);
      const largest = Math.max(...unnormalised.map((v, k) => Math.abs(v - (unnormalisedScaled[k] as number))));
      assert.ok(largest > 0.01, `raw directions should see the rescaling, the largest change is ${largest}`);
    }
  });
});
