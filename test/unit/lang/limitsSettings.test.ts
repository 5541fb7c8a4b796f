/**
 * Every limit is a setting with a safe default: package.json declares each one the core names in
 * its messages, with the core's default, and each run limit's error names its setting.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_LIMITS, LIMIT_SETTINGS } from '../../../src/core/lang/limits';
import {
  curvePointsError,
  DEFAULT_RUN_LIMITS,
  landscapeResolutionError,
  resolveRunLimits,
  RUN_LIMIT_SETTINGS,
  startDeadline,
  workerMemoryMessage,
} from '../../../src/core/runLimits';

interface Property {
  readonly default: unknown;
  readonly markdownDescription?: string;
}
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Property> } };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const properties = manifest.contributes.configuration.properties;

describe('limit settings in package.json', () => {
  const all: [string, string, number][] = [
    ...Object.entries(LIMIT_SETTINGS).map(([k, s]): [string, string, number] => [k, s, DEFAULT_LIMITS[k as keyof typeof DEFAULT_LIMITS]]),
    ...Object.entries(RUN_LIMIT_SETTINGS).map(([k, s]): [string, string, number] => [k, s, DEFAULT_RUN_LIMITS[k as keyof typeof DEFAULT_RUN_LIMITS]]),
  ];
  for (const [name, setting, value] of all) {
    it(`declares ${setting} with the core's default ${value} and a description`, () => {
      assert.equal(setting, `losslab.limits.${name}`);
      const p = properties[setting];
      assert.ok(p, `${setting} is declared`);
      assert.equal(p.default, value);
      assert.ok((p.markdownDescription ?? '').length > 20);
    });

    it(`takes ${setting} from user settings only in Restricted Mode: an untrusted workspace cannot raise it`, () => {
      assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(setting));
    });
  }
});

describe('run limits', () => {
  const limits = resolveRunLimits({ curvePoints: 1000, landscapeResolution: 51 });

  it('keep the defaults for values that are not positive finite numbers', () => {
    assert.deepEqual(resolveRunLimits({ checkSeconds: 0, experimentSeconds: -1, workerMemoryMb: Number.NaN, curvePoints: Infinity }), DEFAULT_RUN_LIMITS);
  });

  it('refuse a curve finer than curvePoints, naming the setting, and accept one at the limit', () => {
    assert.equal(curvePointsError(1000, limits), undefined);
    assert.equal(curvePointsError(1001, limits), 'a curve of 1,001 points is more than 1,000 (limit losslab.limits.curvePoints)');
  });

  it('refuse a landscape finer than landscapeResolution, naming the setting', () => {
    assert.equal(landscapeResolutionError(51, limits), undefined);
    assert.match(landscapeResolutionError(52, limits) ?? '', /52×52 .* 51 per axis \(limit losslab\.limits\.landscapeResolution\)$/);
  });

  it('time budgets expire after their seconds on the given clock, and say which setting', () => {
    let now = 1000;
    const d = startDeadline('checkSeconds', "the checks of 'focal'", resolveRunLimits({ checkSeconds: 2 }), () => now);
    now += 2000;
    assert.equal(d.expired(), false, 'exactly at the budget');
    now += 1;
    assert.equal(d.expired(), true);
    assert.equal(d.message, "the checks of 'focal' stopped: over the time budget of 2 s (limit losslab.limits.checkSeconds)");
    const e = startDeadline('experimentSeconds', 'the experiment', DEFAULT_RUN_LIMITS, () => now);
    assert.match(e.message, /budget of 600 s \(limit losslab\.limits\.experimentSeconds/);
  });

  it('name the memory cap and its setting', () => {
    assert.equal(
      workerMemoryMessage(resolveRunLimits({ workerMemoryMb: 512 })),
      'the worker ran out of memory (limit 512 MB, setting losslab.limits.workerMemoryMb)',
    );
  });
});
