/**
 * Diagnostics where the editor draws them: in a Python file or a Markdown block at the host's own
 * line and column, with the quick fix that resolves them (the closest name, the stable rewrite).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeDocumentText, analyzeLossText } from '../../../src/core/analyze';
import type { LossDiagnostic } from '../../../src/core/lang/diagnostics';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');
const PYTHON = readFileSync(join(EXAMPLES, 'embedded.py'), 'utf8');

/** The text a diagnostic's range covers in `text`. */
function covered(text: string, d: LossDiagnostic): string {
  const line = text.split(/\r?\n/)[d.range.startLine] ?? '';
  return line.slice(d.range.startColumn, d.range.endColumn);
}

/** `text` with a diagnostic's fix applied. */
function applyFix(text: string, d: LossDiagnostic): string {
  assert.ok(d.fix, `${d.code} has a fix`);
  const lines = text.split('\n');
  const { range, newText } = d.fix.edit;
  const line = lines[range.startLine] ?? '';
  lines[range.startLine] = line.slice(0, range.startColumn) + newText + line.slice(range.endColumn);
  return lines.join('\n');
}

describe('diagnostics in the editor', () => {
  it('puts an error in a Python `# loss:` comment at its line and column in the Python file', () => {
    const text = PYTHON.replace('# loss: logistic(z) = softplus(-z)', '# loss: logistic(z) = sofplus(-z)');
    const r = analyzeDocumentText(text, 'python');
    const [d] = r.diagnostics;
    assert.equal(r.diagnostics.length, 1);
    assert.equal(d?.code, 'unknown-function');
    assert.equal(
      d?.range.startLine,
      text.split('\n').findIndex((l) => l.startsWith('# loss: logistic')),
    );
    assert.equal(d && covered(text, d), 'sofplus');
    assert.equal(d?.message, "unknown function 'sofplus' (did you mean 'softplus'?)");
    // The other losses of the file stay usable.
    assert.deepEqual(
      r.losses.map((l) => l.name),
      ['focal', 'pinball'],
    );
  });

  it('puts a param error on its `# param` line, and its use before declaration where the loss uses it', () => {
    const text = ['# loss: a(z) = beta * z', '# param beta = 7 in [0, 5]', '# param tau = 1 in [0, 2]', '# loss: b(z) = tau * z'].join('\n');
    const r = analyzeDocumentText(text, 'python');
    const found = r.diagnostics.map((d) => [d.code, d.range.startLine, covered(text, d)]);
    assert.deepEqual(found, [
      ['param-out-of-range', 1, '7'],
      ['unknown-name', 0, 'beta'],
    ]);
  });

  it('puts an error in a Markdown block at the block line, and an empty block on its fence', () => {
    const md = ['# Title', '', '```loss', 'hinge(z) = max(0, 1 - z', '```', '', '```loss', '```'].join('\n');
    const r = analyzeDocumentText(md, 'markdown');
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.range.startLine]),
      [
        ['syntax', 3],
        ['empty-file', 6],
      ],
    );
  });

  it('offers the closest name as a quick fix for a misspelled function or name', () => {
    const text = 'param gamma = 2 in [0, 5]\nf(z) = sigmod(z) * gamm';
    const [fn, name] = analyzeLossText(text).diagnostics;
    assert.equal(fn?.fix?.title, "Change to 'sigmoid'");
    assert.equal(name?.fix?.title, "Change to 'gamma'");
    // The later edit first, so that the earlier one's columns still hold.
    assert.equal(applyFix(applyFix(text, name as LossDiagnostic), fn as LossDiagnostic), 'param gamma = 2 in [0, 5]\nf(z) = sigmoid(z) * gamma');
  });

  it('warns on log(1 + exp(-z)) in examples/margins.loss, at its range, with the softplus rewrite', () => {
    const text = readFileSync(join(EXAMPLES, 'margins.loss'), 'utf8');
    const [d, ...rest] = analyzeLossText(text).diagnostics;
    assert.equal(rest.length, 0);
    assert.equal(d?.severity, 'warning');
    assert.equal(d?.code, 'unstable');
    assert.equal(d && covered(text, d), 'log(1 + exp(-z))');
    assert.match(d?.message ?? '', /exp\(-z\) overflows float32/);
    assert.equal(d?.fix?.title, 'Rewrite as softplus(-z)');
    const fixed = applyFix(text, d as LossDiagnostic);
    assert.match(fixed, /^logistic_naive\(z\) = softplus\(-z\)$/m);
    assert.deepEqual(analyzeLossText(fixed).diagnostics, []);
  });

  it('maps the quick fix of an embedded loss to the host: applying it to the Python file fixes the comment', () => {
    const text = PYTHON.replace('# loss: logistic(z) = softplus(-z)', '# loss: logistic(z) = log(1 + exp(-z))');
    const [d] = analyzeDocumentText(text, 'python').diagnostics;
    assert.equal(d?.code, 'unstable');
    assert.equal(applyFix(text, d as LossDiagnostic), PYTHON);
  });
});
