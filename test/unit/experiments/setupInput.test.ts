/** The shape check of a setup from outside: every field within the same bounds `resolveSetup` enforces. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveSetup, SETUP_LIMITS } from '../../../src/core/experiments/setup';
import { setupInputProblem } from '../../../src/core/experiments/setupInput';

describe('setupInputProblem', () => {
  it('accepts the empty setup (all defaults) and a full one', () => {
    assert.equal(setupInputProblem({}), undefined);
    const full = { dataset: 'spirals', classes: 3, dims: 2, points: 500, testPoints: 300, noise: 0.2, noiseType: 'asymmetric', imbalance: 4 };
    const rest = {
      model: 'mlp',
      hidden: [8],
      activation: 'tanh',
      optimizer: 'gd',
      lr: 0.5,
      epochs: 10,
      seeds: [1, 2],
      landscape: true,
      resolution: 21,
      span: 2,
    };
    assert.equal(setupInputProblem({ ...full, ...rest }), undefined);
  });

  it('names the field and its bound', () => {
    assert.equal(setupInputProblem({ points: 3 }), `points must be a whole number from 4 to ${SETUP_LIMITS.points}`);
    assert.equal(setupInputProblem({ noise: -0.1 }), 'noise must be a rate in [0, 1)');
    assert.match(setupInputProblem({ optimizer: 'sgd' }) ?? '', /optimizer must be one of adam, gd/);
    assert.equal(setupInputProblem({ extra: 1 }), "unknown setup field 'extra'");
  });

  it('agrees with resolveSetup at the edges of every whole-number bound', () => {
    const edges: [string, number, number][] = [
      ['points', 4, SETUP_LIMITS.points],
      ['epochs', 1, SETUP_LIMITS.epochs],
      ['resolution', 3, SETUP_LIMITS.resolution],
      ['classes', 2, SETUP_LIMITS.classes],
    ];
    for (const [field, lo, hi] of edges) {
      for (const [v, ok] of [
        [lo, true],
        [hi, true],
        [lo - 1, false],
        [hi + 1, false],
      ] as const) {
        const input = { [field]: v, ...(field === 'classes' ? { points: 1000 } : {}) };
        assert.equal(setupInputProblem(input) === undefined, ok, `${field} = ${v}`);
        assert.equal(resolveSetup(input).ok, ok, `resolveSetup: ${field} = ${v}`);
      }
    }
  });
});
