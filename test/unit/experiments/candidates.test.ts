/** The library losses offered for a comparison: the loss's own kind only, every one trainable by name. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { libraryLossesOfKind } from '../../../src/core/experiments/candidates';
import { findExperimentLosses } from '../../../src/core/experiments/losses';

describe('libraryLossesOfKind', () => {
  it('lists the multiclass losses of the issue (cross-entropy, focal, GCE, MAE) and no helper', () => {
    const names = libraryLossesOfKind('multiclass');
    for (const name of ['cross_entropy', 'focal_softmax', 'gce', 'mae_softmax']) assert.ok(names.includes(name), name);
    assert.ok(!names.includes('log_py'), 'log_py is a helper of library/multiclass.loss');
    assert.ok(!names.includes('focal'), 'focal(p) is a probability loss');
  });

  it('lists margin and probability losses apart', () => {
    assert.ok(libraryLossesOfKind('margin').includes('logistic'));
    assert.ok(libraryLossesOfKind('probability').includes('focal'));
    assert.ok(!libraryLossesOfKind('margin').includes('focal'));
  });

  it('offers nothing for a kind that experiments cannot train', () => {
    assert.deepEqual(libraryLossesOfKind('regression'), []);
  });

  it('every multiclass name it offers is found by the experiment as a library loss', () => {
    const text = '@classes 3\nmine(s, y) = logsumexp(s) - s[y]';
    const names = libraryLossesOfKind('multiclass');
    const found = findExperimentLosses(text, 'mine', names, undefined);
    assert.ok(found.ok, found.ok ? '' : found.message);
    if (!found.ok) return;
    assert.equal(found.losses.length, names.length + 1);
    assert.ok(found.losses.slice(1).every((l) => l.source === 'library'));
  });
});
