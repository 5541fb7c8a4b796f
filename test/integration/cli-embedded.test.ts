/** `losslab` on the examples' Python and Markdown files: the same losses the editor shows. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');

function losslab(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'losslab.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('losslab on files with embedded losses', () => {
  it('evaluates a # loss: comment of a Python file with its # param', () => {
    const r = losslab('eval', 'examples/embedded.py', '--loss', 'focal', '--at', 'p=0.5', '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { value: number };
    // -alpha (1 - p)^gamma log p with alpha = 0.25, gamma = 2 at p = 1/2: 0.25 * 0.25 * ln 2.
    assert.ok(Math.abs(out.value - 0.0625 * Math.LN2) < 1e-6, String(out.value));
  });

  it('checks a loss of a ```loss block of Markdown', () => {
    const r = losslab('check', 'examples/notes.md', '--loss', 'sigmoid_loss', '--only', 'bounded', '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { checks: { id: string; verdict: string }[] };
    // 1 - sigmoid(z) lies in (0, 1): bounded, the property behind its robustness to label noise.
    assert.equal(out.checks.find((c) => c.id === 'bounded')?.verdict, 'pass');
  });

  it('names the Python file and line of an error in a loss comment', () => {
    const r = losslab('eval', 'test/fixtures/broken-embedded.py', '--json');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken-embedded\.py:3:\d+: error: .*gama/);
  });
});
