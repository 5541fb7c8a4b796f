/**
 * The temperature check on InfoNCE, whose limits are known (Wang & Liu 2021): as tau -> infinity
 * the loss tends to log B (the softmax over the B candidates goes uniform); as tau -> 0, tau times
 * the loss tends to mean_i (max_j S_ij - S_ii), computed here by hand at the check's first batch.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { typicalSample } from '../../../src/core/checks/sampling';
import { temperatureCheck } from '../../../src/core/checks/temperature';
import { startBackend } from '../../../src/core/engine/backend';
import type { Executor } from '../../../src/core/engine/executor';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { lowered } from '../lowered';

let executor: Executor;
before(async () => {
  const s = await startBackend('wasm');
  executor = tensorExecutor(s.tf, s.backend);
});

const INFONCE =
  "size B = 5\nsize D = 3\nparam tau = 0.5 in [0.05, 2]\n@shape z1: [B, D]\n@shape z2: [B, D]\ninfonce(z1, z2) = mean(logsumexp(S, 2) - diag(S))\n  where S = z1 * z2' / tau";

describe('the temperature check', () => {
  it('finds InfoNCE tending to log B as tau grows, and tau times it to the max-margin form as tau vanishes', async () => {
    const loss = lowered(INFONCE);
    const r = await temperatureCheck.run({ loss, params: { tau: 0.5 }, executor });
    assert.equal(r.verdict, 'pass', r.summary);
    assert.ok(Math.abs((r.metrics.limit_large_tau as number) - Math.log(5)) < 1e-6, r.summary);
    assert.match(r.summary, /= log B = log 5 \(uniform over the candidates\)/);
    // The check's first batch (its seed), and the hinge form by hand: mean_i max_j <z1_i, z2_j> - <z1_i, z2_i>.
    const sample = typicalSample(loss, 8, 41);
    const [z1, z2] = [sample.values.z1 as Float64Array, sample.values.z2 as Float64Array];
    const dot = (i: number, j: number): number => [0, 1, 2].reduce((s, d) => s + (z1[i * 3 + d] as number) * (z2[j * 3 + d] as number), 0);
    let margin = 0;
    for (let i = 0; i < 5; i++) margin += Math.max(...[0, 1, 2, 3, 4].map((j) => dot(i, j))) - dot(i, i);
    assert.ok(
      Math.abs((r.metrics.limit_tau_times_loss_small_tau as number) - margin / 5) < 1e-4,
      `${r.metrics.limit_tau_times_loss_small_tau} against ${margin / 5}`,
    );
  });

  it('fails a loss that blows up as tau vanishes, and says nothing of a loss without a temperature', async () => {
    const blows = lowered('size B = 3\nparam tau = 1 in [0.1, 2]\n@shape z: [B]\nf(z) = mean(z .^ 2) / tau^2');
    assert.equal((await temperatureCheck.run({ loss: blows, params: { tau: 1 }, executor })).verdict, 'fail');
    const none = lowered('size B = 3\n@shape z: [B]\nf(z) = mean(z .^ 2)');
    assert.equal((await temperatureCheck.run({ loss: none, params: {}, executor })).verdict, 'inconclusive');
  });
});
