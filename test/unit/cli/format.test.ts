/** The CLI's text check report: ids in one column however long, and a batch loss's witness cut to a line (--json has it whole). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCheckReport, WITNESS_CHARACTERS } from '../../../src/cli/format';

describe('the text check report', () => {
  const report = formatCheckReport({
    loss: 'infonce',
    kind: 'batch',
    params: { tau: 0.1 },
    checks: [
      { id: 'gradient', verdict: 'pass', summary: 'matches', metrics: {} },
      { id: 'hard-negatives', verdict: 'pass', summary: 'hardness-aware', metrics: {} },
      { id: 'convexity', verdict: 'fail', summary: 'not convex', metrics: {}, witness: { z1: Array.from({ length: 500 }, (_, i) => i / 7) } },
    ],
  });
  const lines = report.split('\n');

  it('starts every summary in the same column', () => {
    const columns = lines.slice(1).flatMap((l) => {
      const m = /^ {2}\S+ +\S+ +/.exec(l);
      return m && !l.includes('witness:') ? [m[0].length] : [];
    });
    assert.equal(new Set(columns).size, 1, report);
  });

  it('cuts a long witness and says where the whole one is', () => {
    const witness = lines.find((l) => l.includes('witness:')) as string;
    assert.ok(witness.length < WITNESS_CHARACTERS + 120, `${witness.length} characters`);
    assert.match(witness, /… \(\d+ characters; --json has it whole\)$/);
  });
});
