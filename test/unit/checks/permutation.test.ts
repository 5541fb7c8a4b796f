/**
 * The batch-order check on losses whose answer is known: InfoNCE, cross-entropy over a batch with
 * its labels and a mean squared error are sums over the batch of terms that reorder with it (S
 * becomes P S P^T under a permutation P of both views), so they are invariant; a loss that
 * weighs sample i by i is not.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { permutationCheck } from '../../../src/core/checks/permutation';
import { startBackend } from '../../../src/core/engine/backend';
import type { Executor } from '../../../src/core/engine/executor';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { lowered } from '../lowered';

let executor: Executor;
before(async () => {
  const s = await startBackend('wasm');
  executor = tensorExecutor(s.tf, s.backend);
});

async function verdict(text: string): Promise<{ verdict: string; summary: string }> {
  const loss = lowered(text);
  return permutationCheck.run({ loss, params: Object.fromEntries(loss.params.map((p) => [p.decl.name, p.decl.value])), executor });
}

const HEADER = 'size B = 5\nsize D = 3\n';

describe('the batch-order check', () => {
  it('passes InfoNCE, batch cross-entropy with its labels, and MSE', async () => {
    for (const text of [
      `${HEADER}param tau = 0.5 in [0.05, 2]\n@shape z1: [B, D]\n@shape z2: [B, D]\ninfonce(z1, z2) = mean(logsumexp(S, 2) - diag(S))\n  where S = z1 * z2' / tau`,
      `${HEADER}@classes 4\n@shape s: [B, K]\n@labels y: [B]\nce(s, y) = mean(logsumexp(s, 2) - s[y])`,
      `${HEADER}@shape a: [B, D]\n@data b: [B, D]\nmse(a, b) = mean((a - b) .^ 2)`,
    ]) {
      const r = await verdict(text);
      assert.equal(r.verdict, 'pass', `${text}\n${r.summary}`);
    }
  });

  it('fails a loss that weighs sample i by i, with the order as its witness', async () => {
    const r = await verdict(`${HEADER}@shape x: [B, D]\nweighted(x) = sum(positions(sum(x, 2)) .* sum(x .^ 2, 2))`);
    assert.equal(r.verdict, 'fail', r.summary);
    assert.match(r.summary, /depends on the order of the batch: .* with its 5 samples reordered as \(/);
  });
});

describe('the per-sample checks on a batch loss', () => {
  it('find the Lipschitz constant of batch cross-entropy: sqrt(2 / B), the supremum of |p - e_y| / B over B rows', async () => {
    const { lipschitzCheck } = await import('../../../src/core/checks/lipschitz');
    const loss = lowered('size B = 6\n@classes 4\n@shape s: [B, K]\n@labels y: [B]\nce(s, y) = mean(logsumexp(s, 2) - s[y])');
    const r = await lipschitzCheck.run({ loss, params: {}, executor });
    assert.equal(r.verdict, 'pass', r.summary);
    const L = r.metrics.lipschitz as number;
    assert.ok(Math.abs(L - Math.sqrt(2 / 6)) < 1e-3 * Math.sqrt(2 / 6), `L = ${L}`);
  });
});
