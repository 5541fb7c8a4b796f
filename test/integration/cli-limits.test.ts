/** `losslab --limit NAME=VALUE`: the limits settings on the command line, each error naming its setting. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');

function losslab(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'losslab.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('losslab --limit', () => {
  it('a check run over its time budget stops with exit 2 and names losslab.limits.checkSeconds', () => {
    const r = losslab('check', 'examples/focal.loss', '--limit', 'checkSeconds=0.000001', '--json');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /over the time budget of 0\.000001 s \(limit losslab\.limits\.checkSeconds\)/);
  });

  it('a file over the size limit gets a diagnostic at 1:1 naming losslab.limits.fileSize', () => {
    const r = losslab('eval', 'examples/focal.loss', '--limit', 'fileSize=100');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /focal\.loss:1:1: error: .*\(limit losslab\.limits\.fileSize\)/);
  });

  it('an experiment landscape finer than the limit is refused before training', () => {
    const r = losslab('experiment', 'examples/multiclass.loss', '--landscape', '--resolution', '101', '--limit', 'landscapeResolution=50', '--json');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /finer than 50 per axis \(limit losslab\.limits\.landscapeResolution\)/);
  });

  it('refuses an unknown limit or a value that is not a positive number', () => {
    assert.equal(losslab('eval', 'examples/focal.loss', '--limit', 'nope=3').code, 2);
    const r = losslab('eval', 'examples/focal.loss', '--limit', 'lines=-1');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a positive number/);
  });

  it('within generous limits the run is the same as without them', () => {
    const a = losslab('eval', 'examples/focal.loss', '--at', 'p=0.3', '--json');
    const b = losslab('eval', 'examples/focal.loss', '--at', 'p=0.3', '--json', '--limit', 'checkSeconds=100', '--limit', 'astDepth=500');
    assert.equal(a.code, 0);
    assert.equal(b.stdout, a.stdout);
  });
});
