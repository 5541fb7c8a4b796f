/**
 * Fuzzing the command line: the built `bin/losslab.js` on generated .loss files exits 0, 1 or 2
 * (ran, check failed, bad input) and never prints a JavaScript stack trace. Each input costs a
 * process start, so the budget is small.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzBudget } from './budget';
import { lossTexts } from './inputs';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'losslab.js');
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

describe('fuzz: the CLI on generated files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'losslab-fuzz-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0, 1 or 2 with no stack trace, for check and eval', (t) => {
    let runs = 0;
    const codes = new Map<number | null, number>();
    fc.assert(
      fc.property(lossTexts, fc.constantFrom('check', 'eval'), (text, command) => {
        const file = join(dir, `input${runs++}.loss`);
        writeFileSync(file, text);
        const r = spawnSync(process.execPath, [BIN, command, file, '--json', '--backend', 'cpu'], { encoding: 'utf8' });
        codes.set(r.status, (codes.get(r.status) ?? 0) + 1);
        assert.ok(
          r.status === 0 || r.status === 1 || r.status === 2,
          `exit ${r.status} (signal ${r.signal}) on ${JSON.stringify(text.slice(0, 200))}:\n${r.stderr}`,
        );
        assert.doesNotMatch(r.stderr, STACK_FRAME, `a stack trace on ${JSON.stringify(text.slice(0, 200))}`);
      }),
      fuzzBudget(8, 0.05),
    );
    t.diagnostic(`cli: ${runs} inputs, exit codes ${JSON.stringify(Object.fromEntries(codes))}`);
  });
});
