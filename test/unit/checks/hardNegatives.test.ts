/**
 * The hard-negatives check against shares known in closed form: InfoNCE's gradient on negative
 * S_ij is softmax(S_i)_j / B, so the hardest negatives' share is the softmax mass on them,
 * computed here by hand at the check's batches, and it grows as tau falls (the softmax
 * sharpens); a loss linear in the negatives weighs every one alike, so the hardest quarter gets
 * exactly a quarter; a loss with no B x B matrix has no negatives to weigh.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { hardNegativesCheck, negativeShare, POINTS, SEED } from '../../../src/core/checks/hardNegatives';
import { typicalSample } from '../../../src/core/checks/sampling';
import { startBackend } from '../../../src/core/engine/backend';
import type { Executor } from '../../../src/core/engine/executor';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { lowered } from '../lowered';

let executor: Executor;
before(async () => {
  const s = await startBackend('wasm');
  executor = tensorExecutor(s.tf, s.backend);
});

const B = 9;
const D = 4;
const INFONCE = `size B = ${B}\nsize D = ${D}\nparam tau = 0.5 in [0.05, 2]\n@shape z1: [B, D]\n@shape z2: [B, D]\ninfonce(z1, z2) = mean(logsumexp(S, 2) - diag(S))\n  where S = z1 * z2' / tau`;
const LINEAR = `size B = ${B}\nsize D = ${D}\n@shape z1: [B, D]\n@shape z2: [B, D]\nlinear(z1, z2) = mean(sum(S .* (1 - eye(B)), 2) / (B - 1) - diag(S))\n  where S = z1 * z2'`;

describe('the hard-negatives check', () => {
  it('counts the hardest quarter of each row and weighs it by the gradient', () => {
    // B = 5: four negatives per anchor, the hardest one. Row 0's most similar negative is column 3.
    const s = new Float64Array(25).fill(0);
    const g = new Float64Array(25).fill(1);
    for (let i = 0; i < 5; i++) s[i * 5 + ((i + 3) % 5)] = 1;
    for (let i = 0; i < 5; i++) g[i * 5 + ((i + 3) % 5)] = 5;
    const share = negativeShare(s, g, 5, 1);
    assert.deepEqual(share, { share: 5 / 8, uniform: 1 / 4, hardPerAnchor: 1 });
  });

  it("finds InfoNCE hardness-aware, with the hardest negatives' softmax mass as its share", async () => {
    const loss = lowered(INFONCE);
    const r = await hardNegativesCheck.run({ loss, params: { tau: 0.5 }, executor });
    assert.equal(r.verdict, 'pass', r.summary);
    const sample = typicalSample(loss, POINTS, SEED);
    const [z1, z2] = [sample.values.z1 as Float64Array, sample.values.z2 as Float64Array];
    const hard = Math.round((B - 1) / 4);
    let hardMass = 0;
    let mass = 0;
    for (let p = 0; p < POINTS; p++)
      for (let i = 0; i < B; i++) {
        const S = Array.from({ length: B }, (_, j) => {
          let dot = 0;
          for (let d = 0; d < D; d++) dot += (z1[(p * B + i) * D + d] as number) * (z2[(p * B + j) * D + d] as number);
          return dot / 0.5;
        });
        const z = S.reduce((a, v) => a + Math.exp(v), 0);
        const negatives = S.map((v, j) => ({ v, j })).filter(({ j }) => j !== i);
        negatives.sort((a, b) => b.v - a.v);
        negatives.forEach(({ v }, rank) => {
          mass += Math.exp(v) / z;
          if (rank < hard) hardMass += Math.exp(v) / z;
        });
      }
    assert.ok(Math.abs((r.metrics.share as number) - hardMass / mass) < 1e-12, `${r.metrics.share} against ${hardMass / mass}`);
    assert.equal(r.metrics.uniform_share, hard / (B - 1));
    // A sharper softmax puts more of the mass on the hardest: the share falls as tau grows.
    const [low, high] = [r.metrics['share_at_tau_0.125'] as number, r.metrics.share_at_tau_2 as number];
    assert.ok(low > (r.metrics.share as number) && (r.metrics.share as number) > high && high > hard / (B - 1), r.summary);
  });

  it('finds a loss linear in the negatives not hardness-aware: the hardest quarter gets a quarter', async () => {
    const r = await hardNegativesCheck.run({ loss: lowered(LINEAR), params: {}, executor });
    assert.equal(r.verdict, 'fail', r.summary);
    assert.ok(Math.abs((r.metrics.share as number) - 0.25) < 1e-12, r.summary);
    assert.match(r.summary, /not hardness-aware/);
  });

  it('is inconclusive for a batch loss without a matrix of pairs', async () => {
    const mse = lowered(`size B = 4\nsize D = 3\n@shape x: [B, D]\n@shape y: [B, D]\nmse(x, y) = mean((x - y) .^ 2)`);
    const r = await hardNegativesCheck.run({ loss: mse, params: {}, executor });
    assert.equal(r.verdict, 'inconclusive', r.summary);
  });
});
