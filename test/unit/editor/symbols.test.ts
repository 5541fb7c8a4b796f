/** The Outline: losses, helpers and params of every .loss source of a document, in order. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentSymbols } from '../../../src/core/editor/symbols';
import { example } from './documents';

describe('document symbols', () => {
  it('lists the params, losses and helpers of examples/focal.loss with what each is', () => {
    const symbols = documentSymbols(example('focal.loss', 'loss'));
    assert.deepEqual(
      symbols.map((s) => [s.name, s.kind, s.detail]),
      [
        ['gamma', 'param', '= 2 in [0, 5]'],
        ['alpha', 'param', '= 0.25 in [0, 1]'],
        ['focal(p)', 'loss', 'probability loss'],
        ['p_of(z)', 'helper', 'helper'],
        ['focal_logit(z)', 'loss', 'margin loss'],
      ],
    );
    const gamma = symbols[0];
    // The statement without its trailing comment; the name inside it.
    assert.deepEqual(gamma?.range, { startLine: 2, startColumn: 0, endLine: 2, endColumn: 'param gamma = 2 in [0, 5]'.length });
    assert.deepEqual(gamma?.selectionRange, { startLine: 2, startColumn: 6, endLine: 2, endColumn: 11 });
  });

  it('lists the losses of a Python file at their comment lines, and of every Markdown block', () => {
    const py = documentSymbols(example('embedded.py', 'python'));
    assert.deepEqual(
      py.filter((s) => s.kind === 'loss').map((s) => s.name),
      ['focal(p)', 'logistic(z)', 'pinball(r)'],
    );
    const focal = py.find((s) => s.name === 'focal(p)');
    assert.equal(focal?.selectionRange.startColumn, '# loss: '.length);
    const md = documentSymbols(example('notes.md', 'markdown'));
    assert.deepEqual(
      md.map((s) => s.name),
      ['q', 'gce(s, y)', 'sigmoid_loss(z)'],
    );
  });
});
