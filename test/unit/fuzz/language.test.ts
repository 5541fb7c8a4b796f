/**
 * Fuzzing the parser and validator: on any text, `checkLossText` and `analyzeLossText` return a
 * value (never throw), every diagnostic's range lies inside the text, and no prototype is
 * polluted by names like `__proto__` or `constructor`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeDocumentText, analyzeLossText } from '../../../src/core/analyze';
import { checkLossText } from '../../../src/core/lang/check';
import type { LossDiagnostic } from '../../../src/core/lang/diagnostics';
import { fuzzBudget, FuzzTally } from './budget';
import { lossTexts } from './inputs';

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Map.prototype];
const snapshot = (): string[][] => PROTOTYPES.map((p) => Reflect.ownKeys(p).map(String).sort());

/** A range is inside the text when its lines exist and its columns lie on them (end may be one past). */
function assertInside(d: LossDiagnostic, lines: readonly string[]): void {
  const { startLine, startColumn, endLine, endColumn } = d.range;
  const ok =
    [startLine, startColumn, endLine, endColumn].every(Number.isInteger) &&
    startLine >= 0 &&
    endLine < lines.length &&
    (startLine < endLine || (startLine === endLine && startColumn < endColumn)) &&
    startColumn >= 0 &&
    startColumn <= (lines[startLine] as string).length &&
    endColumn <= (lines[endLine] as string).length + 1;
  assert.ok(ok, `diagnostic '${d.message}' has range ${JSON.stringify(d.range)} outside the text`);
  assert.ok(d.message.length > 0 && d.code.length > 0, 'a diagnostic has a message and a code');
}

describe('fuzz: the parser and validator on hostile text', () => {
  it('always return a value, with every diagnostic inside the text, and pollute no prototype', (t) => {
    const before = snapshot();
    const tally = new FuzzTally();
    fc.assert(
      fc.property(lossTexts, (text) => {
        const lines = text.split(/\r?\n/);
        const analyzed = tally.time(() => analyzeLossText(text));
        const checked = checkLossText(text);
        for (const d of [...analyzed.diagnostics, ...checked.file.diagnostics]) assertInside(d, lines);
        assert.ok(Array.isArray(analyzed.losses));
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
      }),
      fuzzBudget(400),
    );
    assert.deepEqual(snapshot(), before, 'a prototype gained or lost a property');
    t.diagnostic(`analyzeLossText: ${tally}`);
  });

  it('never throw on the same texts as loss comments of Python and blocks of Markdown', (t) => {
    const tally = new FuzzTally();
    fc.assert(
      fc.property(lossTexts, fc.constantFrom('python', 'markdown', 'typescript'), (text, languageId) => {
        const host = languageId === 'markdown' ? `\`\`\`loss\n${text}\n\`\`\`` : text.replace(/^/gm, languageId === 'python' ? '# loss: ' : '// loss: ');
        const r = tally.time(() => analyzeDocumentText(host, languageId));
        for (const d of r.diagnostics) assertInside(d, host.split(/\r?\n/));
      }),
      fuzzBudget(150),
    );
    t.diagnostic(`analyzeDocumentText: ${tally}`);
  });
});
