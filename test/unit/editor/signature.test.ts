/** Signature help: the call the cursor is in, its signature from the table of built-ins or the file, and the argument. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signatureHelpAt } from '../../../src/core/editor/signature';
import { example, positionOf, withCursor } from './documents';

function help(text: string, languageId = 'loss') {
  const { document, position } = withCursor(text, languageId);
  return signatureHelpAt(document, position);
}

describe('signature help', () => {
  it('shows clip(x, lo, hi) with the second argument active after one comma', () => {
    const h = help('f(z) = clip(z, |');
    assert.deepEqual(
      h?.signatures.map((s) => s.label),
      ['clip(x, lo, hi)'],
    );
    assert.deepEqual(h?.signatures[0]?.parameters, ['x', 'lo', 'hi']);
    assert.equal(h?.activeParameter, 1);
    assert.match(h?.signatures[0]?.documentation ?? '', /limited to \[lo, hi\]/);
  });

  it('finds the innermost open call, across parentheses and indexing', () => {
    assert.equal(help('f(z) = max(0, log(1 + (z)|')?.signatures[0]?.label, 'log(x)');
    assert.equal(help('f(s, y) = max(softmax(s)[y], |')?.activeParameter, 1);
    assert.equal(help('f(z) = (1 + z|'), undefined, 'a parenthesised group is not a call');
    assert.equal(help('f(z|'), undefined, 'the header is not a call');
  });

  it('chooses the form of max by its arguments: of several, element-wise; of one vector, a reduction', () => {
    const several = help('f(z) = max(z, 0, |');
    assert.equal(several?.signatures[several.activeSignature]?.label, 'max(a, b, ...)');
    assert.equal(several?.activeParameter, 2);
    const one = help('f(s, y) = max(|');
    assert.equal(one?.signatures[one.activeSignature]?.label, 'max(v)');
  });

  it('shows the signature of a helper of the file, with its definition', () => {
    const focal = example('focal.loss', 'loss');
    const h = signatureHelpAt(focal, positionOf(focal, 'focal_logit(z) =', 'p_of(', true));
    assert.equal(h?.signatures[0]?.label, 'p_of(z)');
    assert.match(h?.signatures[0]?.documentation ?? '', /helper: p_of\(z\) = sigmoid\(z\)/);
  });

  it('works in a Python `# loss:` comment', () => {
    const h = help('x = 1\n# loss: f(z) = softplus(|', 'python');
    assert.equal(h?.signatures[0]?.label, 'softplus(x)');
  });
});
