/** `losslab experiment` spawned as a process: the contract's JSON on stdout, and refusals with exit code 2. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');

function losslab(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'losslab.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface RunJson {
  loss: string;
  seed: number;
  train_loss: number[];
  test: { accuracy: number; ece: number };
  hessian?: { top_eigenvalues: number[]; trace: number };
  landscape?: { alphas: number[]; betas: number[]; values: number[][] };
}

describe('losslab experiment', () => {
  it('prints every run of every loss and seed, with the landscape and the Hessian when asked', () => {
    const r = losslab(
      'experiment',
      'examples/multiclass.loss',
      '--loss',
      'cross_entropy',
      '--with',
      'mae,gce',
      '--classes',
      '3',
      '--noise',
      '0.2',
      '--points',
      '200',
      '--epochs',
      '50',
      '--seeds',
      '2',
      '--landscape',
      '--resolution',
      '5',
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { runs: RunJson[]; classes: number };
    assert.equal(out.classes, 3);
    assert.deepEqual(
      out.runs.map((run) => `${run.loss}/${run.seed}`),
      ['cross_entropy/1', 'cross_entropy/2', 'mae/1', 'mae/2', 'gce/1', 'gce/2'],
    );
    for (const run of out.runs) {
      assert.equal(run.train_loss.length, 51);
      assert.ok(run.test.accuracy > 0.5 && run.test.ece >= 0 && run.test.ece <= 1);
      assert.equal(run.hessian?.top_eigenvalues.length, 3);
      assert.ok(Number.isFinite(run.hessian?.trace));
      assert.deepEqual(run.landscape?.alphas, [-1, -0.5, 0, 0.5, 1]);
      assert.equal(run.landscape?.values.length, 5);
    }
  });

  it('refuses what it cannot run, with exit code 2 and the reason', () => {
    const mismatch = losslab('experiment', 'examples/multiclass.loss', '--loss', 'cross_entropy', '--with', 'logistic');
    assert.equal(mismatch.code, 2);
    assert.match(mismatch.stderr, /'logistic' is a margin loss, which trains on two classes, but the data have 4/);
    const bad = losslab('experiment', 'examples/multiclass.loss', '--dataset', 'circles');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /dataset must be one of blobs, moons, spirals, separable/);
  });
});
