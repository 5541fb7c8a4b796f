/** Go to definition and rename on real documents: the edits, and the names refused with a reason. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, it } from 'node:test';
import { definitionAt, prepareRenameAt, renameAt, type RenameResult } from '../../../src/core/editor/navigation';
import type { LossDocument } from '../../../src/core/editor/document';
import { example, positionOf, withCursor } from './documents';

/** The document's text with a rename's edits applied (right to left, so columns hold). */
function applied(document: LossDocument, result: RenameResult): string {
  assert.ok(result.ok, result.ok ? '' : result.message);
  const lines = document.text.split('\n');
  const edits = [...result.edits].sort((a, b) => b.range.startLine - a.range.startLine || b.range.startColumn - a.range.startColumn);
  for (const e of edits) {
    const line = lines[e.range.startLine] as string;
    lines[e.range.startLine] = line.slice(0, e.range.startColumn) + e.newText + line.slice(e.range.endColumn);
  }
  return lines.join('\n');
}

describe('go to definition', () => {
  const focal = example('focal.loss', 'loss');

  it('goes from a helper call to the helper, and from a param to its declaration', () => {
    const helper = positionOf(focal, 'p_of(z) = sigmoid', 'p_of');
    assert.deepEqual(definitionAt(focal, positionOf(focal, 'focal_logit(z) =', 'p_of')), {
      range: { startLine: helper.line, startColumn: 0, endLine: helper.line, endColumn: 4 },
    });
    const gamma = positionOf(focal, 'param gamma', 'gamma');
    assert.equal(definitionAt(focal, positionOf(focal, 'focal(p) =', 'gamma'))?.range.startLine, gamma.line);
    assert.equal(definitionAt(focal, positionOf(focal, 'focal(p) =', 'gamma'))?.range.startColumn, gamma.column);
  });

  it('goes from an argument to the argument of the definition, and nowhere from a built-in', () => {
    const at = positionOf(focal, 'focal(p) =', 'p)^');
    assert.deepEqual(definitionAt(focal, at), { range: { startLine: at.line, startColumn: 6, endLine: at.line, endColumn: 7 } });
    assert.equal(definitionAt(focal, positionOf(focal, 'focal(p) =', 'log')), undefined);
  });
});

describe('go to definition of a library loss', () => {
  it('goes from a loss brought in by `use` to its definition in the library file', () => {
    const { document, position } = withCursor('use huber from "library"\nmine(r) = hu|ber(r) / 2');
    const location = definitionAt(document, position);
    assert.equal(location?.file && basename(location.file), 'regression.loss');
    const library = readFileSync(location?.file ?? '', 'utf8').split('\n');
    assert.match(library[location?.range.startLine ?? -1] ?? '', /^huber\(r\) = /);
    assert.equal(location?.range.startColumn, 0);
  });

  it('refuses to rename a library loss, whose name `use` needs', () => {
    const { document, position } = withCursor('use huber from "library"\nmine(r) = hu|ber(r) / 2');
    const r = renameAt(document, position, 'mine2');
    assert.equal(r.ok ? '' : r.message, "'huber' is the name of a library loss: `use` needs it as it is");
  });
});

describe('rename', () => {
  it('renames a param at its declaration and every use, across losses', () => {
    const focal = example('focal.loss', 'loss');
    const r = renameAt(focal, positionOf(focal, 'focal(p) =', 'gamma'), 'focusing');
    assert.ok(r.ok);
    assert.equal(r.edits.length, 3);
    const text = applied(focal, r);
    assert.match(text, /^param focusing = 2 in \[0, 5\] {10}# focusing parameter; gamma = 0 is cross-entropy$/m, 'comments are not renamed');
    assert.match(text, /^focal\(p\) = -alpha \* \(1 - p\)\^focusing \* log\(p\)$/m);
    assert.match(text, /^focal_logit\(z\) = -alpha \* \(1 - p_of\(z\)\)\^focusing \* -softplus\(-z\)$/m);
  });

  it('renames a helper at its definition and its calls', () => {
    const focal = example('focal.loss', 'loss');
    const text = applied(focal, renameAt(focal, positionOf(focal, 'p_of(z) = sigmoid', 'p_of'), 'prob'));
    assert.match(text, /^prob\(z\) = sigmoid\(z\)$/m);
    assert.match(text, /\(1 - prob\(z\)\)/);
    assert.doesNotMatch(text, /p_of/);
  });

  it('renames a param across the loss comments of a Python file, and leaves the Python alone', () => {
    const py = example('embedded.py', 'python');
    const text = applied(py, renameAt(py, positionOf(py, '# param tau', 'tau'), 'quantile'));
    assert.match(text, /^# param quantile = 0\.9 in \[0\.01, 0\.99\]$/m);
    assert.match(text, /^# loss: pinball\(r\) = max\(quantile \* r, \(quantile - 1\) \* r\)$/m);
    assert.match(text, /def pinball_loss\(residual: torch.Tensor, tau: float = 0.9\)/, 'the Python argument keeps its name');
  });

  it('refuses names that would change the meaning of the file, saying why', () => {
    const focal = example('focal.loss', 'loss');
    const gamma = positionOf(focal, 'focal(p) =', 'gamma');
    const refusal = (name: string): string => {
      const r = renameAt(focal, gamma, name);
      return r.ok ? 'accepted' : r.message;
    };
    assert.equal(refusal('alpha'), "a param is already named 'alpha'");
    assert.equal(refusal('p'), "'p' is an argument of 'focal', which uses 'gamma'");
    assert.equal(refusal('exp'), "'exp' is built in");
    assert.equal(refusal('2x'), "'2x' is not a name: use letters, digits and _, not starting with a digit");
    assert.equal(refusal('focal_logit'), "a definition is already named 'focal_logit'");
  });

  it('prepares a rename on a name, refuses a built-in, and leaves Python code to Python', () => {
    const focal = example('focal.loss', 'loss');
    const prepared = prepareRenameAt(focal, positionOf(focal, 'focal(p) =', 'alpha'));
    assert.ok(prepared.ok && prepared.placeholder === 'alpha');
    const builtin = prepareRenameAt(focal, positionOf(focal, 'focal(p) =', 'log'));
    assert.deepEqual(builtin, { ok: false, message: "'log' is built in and cannot be renamed", elsewhere: false });
    const py = example('embedded.py', 'python');
    const code = prepareRenameAt(py, positionOf(py, 'def focal_loss', 'focal_loss'));
    assert.equal(!code.ok && code.elsewhere, true);
  });
});
