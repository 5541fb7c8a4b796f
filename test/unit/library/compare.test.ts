/**
 * `losslab compare`: a loss beside library losses on the same inputs, with values, gradients and
 * each check's verdict side by side.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { compareLosses, findComparisonLoss, type ComparisonEntry } from '../../../src/core/compare';
import { startBackend } from '../../../src/core/engine/backend';
import type { Executor } from '../../../src/core/engine/executor';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { LIBRARY_DIRECTORY, sigmoid } from './reference';

const ROOT = join(__dirname, '..', '..', '..');
const options = { libraryDirectory: LIBRARY_DIRECTORY };
const USER = '@cite "mine" (me, 2025)\nhalf_logistic(z) = softplus(-2 * z) / 2\n';

let executor: Executor;
before(async () => {
  const s = await startBackend();
  executor = tensorExecutor(s.tf, s.backend);
});

function entries(text: string, first: string, names: string[]): ComparisonEntry[] {
  return [first, ...names].map((name) => {
    const found = findComparisonLoss(text, name, 3, options);
    assert.ok(found.ok, found.ok ? '' : JSON.stringify(found.result.diagnostics));
    return found.entry;
  });
}

describe('compareLosses', () => {
  it('evaluates every loss at the same margin, and runs the same checks on each', async () => {
    const r = await compareLosses(executor, entries(USER, 'half_logistic', ['hinge', 'logistic', 'perceptron']), {}, { z: 0.3 }, { only: ['calibration'] });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.value.at, { z: 0.3 });
    assert.deepEqual(
      r.value.losses.map((l) => [l.loss, l.source]),
      [
        ['half_logistic', 'file'],
        ['hinge', 'library'],
        ['logistic', 'library'],
        ['perceptron', 'library'],
      ],
    );
    const [mine, hinge, logistic] = r.value.losses;
    assert.ok(Math.abs((mine?.value as number) - Math.log1p(Math.exp(-0.6)) / 2) < 1e-6);
    assert.ok(Math.abs((hinge?.value as number) - 0.7) < 1e-6);
    assert.ok(Math.abs((logistic?.grad.z as number) + sigmoid(-0.3)) < 1e-6);
    // Bartlett, Jordan & McAuliffe (2006): the perceptron loss is not classification-calibrated.
    assert.deepEqual(r.value.verdicts.calibration, { half_logistic: 'pass', hinge: 'pass', logistic: 'pass', perceptron: 'fail' });
  });

  it('passes each loss only the params it has, and refuses a param none has', async () => {
    const both = entries('', 'dpo', ['simpo']);
    const r = await compareLosses(executor, both, { dpo_beta: 1 }, { m: 0 }, { only: ['gradient'] });
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.losses.map((l) => l.params),
      [{ dpo_beta: 1 }, { simpo_beta: 2, simpo_gamma: 1 }],
    );
    const bad = await compareLosses(executor, both, { nope: 1 }, {}, { only: ['gradient'] });
    assert.deepEqual(bad, { ok: false, message: "no compared loss has a param 'nope'" });
  });

  it('refuses losses of different kinds', async () => {
    const r = await compareLosses(executor, entries('', 'hinge', ['focal']), {}, {}, { only: ['gradient'] });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.message, /'focal' is a probability loss of p and 'hinge' a margin loss of z/);
  });

  it('names a loss that is neither in the file nor in the library', () => {
    const found = findComparisonLoss('', 'focl', 3, options);
    assert.equal(found.ok, false);
    assert.match(found.ok ? '' : (found.result.diagnostics[0]?.message ?? ''), /did you mean 'focal'/);
  });
});

describe('losslab compare', () => {
  it('--json gives values, gradients and verdicts side by side', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'losslab-compare-')), 'mine.loss');
    writeFileSync(file, USER);
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src', 'cli', 'main.ts'),
        'compare',
        file,
        '--loss',
        'half_logistic',
        '--with',
        'hinge,logistic',
        '--at',
        'z=0.3',
        '--only',
        'calibration,stability',
        '--json',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      kind: string;
      losses: { loss: string; value: number; grad: { z: number } }[];
      verdicts: Record<string, Record<string, string>>;
    };
    assert.equal(out.kind, 'margin');
    assert.deepEqual(
      out.losses.map((l) => l.loss),
      ['half_logistic', 'hinge', 'logistic'],
    );
    assert.deepEqual(out.verdicts.calibration, { half_logistic: 'pass', hinge: 'pass', logistic: 'pass' });
    assert.deepEqual(Object.keys(out.verdicts), ['stability', 'calibration']);
  });
});
