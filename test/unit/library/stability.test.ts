/**
 * Every library loss passes the float32 stability check at its default params, in the stable form
 * the library shows, unless its file says why it cannot (the exceptions below quote that file).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { stabilityCheck } from '../../../src/core/checks/stability';
import { startBackend } from '../../../src/core/engine/backend';
import type { Executor } from '../../../src/core/engine/executor';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { parseLossText } from '../../../src/core/lang/parse';
import { LIBRARY_FILES, libraryLoss } from './reference';

/** Loss -> the sentence of its file that explains, and params at which it does pass (if any do). */
const EXPLAINED: Readonly<Record<string, { readonly says: RegExp; readonly passesAt?: Readonly<Record<string, number>> }>> = {
  // For tau < 1 the value overflows float32 and its gradient is formed through it.
  comp_sum: { says: /Not stable in float32 for tau < 1/, passesAt: { comp_tau: 1.5 } },
  // The running sums of exp(u - max u) from the end underflow for a tail far below the maximum; no param helps.
  listmle: { says: /Not stable in float32 where a query's scores spread by more than about 87/ },
};

let executor: Executor;
before(async () => {
  const s = await startBackend();
  executor = tensorExecutor(s.tf, s.backend);
});

async function stabilityOf(name: string, params: Readonly<Record<string, number>> = {}) {
  const loss = libraryLoss(name);
  const defaults = Object.fromEntries(loss.params.map((p) => [p.decl.name, p.decl.value]));
  return stabilityCheck.run({ loss, params: { ...defaults, ...params }, executor });
}

describe('float32 stability of the library (stability check)', () => {
  for (const [file, text] of LIBRARY_FILES) {
    for (const d of parseLossText(text).definitions.filter((x) => !x.helper)) {
      const explained = EXPLAINED[d.name];
      if (explained === undefined) {
        it(`${d.name} (${file}) is stable in float32`, async () => {
          const r = await stabilityOf(d.name);
          assert.equal(r.verdict, 'pass', r.summary);
        });
      } else {
        it(`${d.name} (${file}) fails only where its file says why`, async () => {
          assert.match(text, explained.says);
          assert.equal((await stabilityOf(d.name)).verdict, 'fail', 'the exception is no longer needed: remove it');
          if (explained.passesAt === undefined) return;
          const r = await stabilityOf(d.name, explained.passesAt);
          assert.equal(r.verdict, 'pass', r.summary);
        });
      }
    }
  }
});
