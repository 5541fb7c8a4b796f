/**
 * `landscapeSeeds`: the landscape and the Hessian for the first seeds of each loss only (the panel
 * draws one landscape per loss). The other seeds' runs are the runs without a landscape, and a
 * run with its landscape is the same run whatever asked for it, so the cache serves it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runExperiment } from '../../../src/core/experiments/experiment';
import { float64Engine } from '../../../src/core/experiments/programEngine';
import type { ExperimentRun } from '../../../src/core/experiments/report';

const TEXT = '@classes 3\nce(s, y) = logsumexp(s) - s[y]';
const SETUP = { points: 60, testPoints: 30, hidden: [4], epochs: 5, seeds: [1, 2, 3], landscape: true, resolution: 5 } as const;

describe('landscapeSeeds', () => {
  it('gives the landscape and the Hessian to the first seed only, and caches that run as the all-seeds experiment computes it', async () => {
    const cache = new Map<string, ExperimentRun>();
    const first = await runExperiment(float64Engine, { text: TEXT, setup: { ...SETUP, landscapeSeeds: 1 } }, { cache });
    assert.ok(first?.ok);
    if (!first?.ok) return;
    assert.deepEqual(
      first.value.runs.map((r) => [r.seed, r.landscape !== undefined, r.hessian !== undefined]),
      [
        [1, true, true],
        [2, false, false],
        [3, false, false],
      ],
    );
    assert.equal(first.value.runs[0]?.landscape?.values.length, 5, 'resolution 5: five rows');
    const all = await runExperiment(float64Engine, { text: TEXT, setup: SETUP }, { cache });
    assert.ok(all?.ok);
    if (!all?.ok) return;
    // elapsed_ms included: the very run, not one trained again.
    assert.deepEqual(all.value.runs[0], first.value.runs[0], 'seed 1 comes from the cache');
    assert.ok(
      all.value.runs.every((r) => r.landscape !== undefined),
      'without landscapeSeeds every seed has its landscape',
    );
  });

  it('is refused outside 1..100', async () => {
    const r = await runExperiment(float64Engine, { text: TEXT, setup: { ...SETUP, landscapeSeeds: 0 } });
    assert.ok(r && !r.ok && /landscape seeds/.test(r.message));
  });
});
