/** Completion on real documents: what the checker accepts at the cursor, with signatures and docs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeAt } from '../../../src/core/editor/completion';
import { example, positionOf, withCursor } from './documents';

describe('completion', () => {
  it('in a body of examples/focal.loss: its argument, the params and definitions above, the built-ins', () => {
    const focal = example('focal.loss', 'loss');
    const result = completeAt(focal, positionOf(focal, 'focal_logit(z) =', 'softplus', true));
    assert.ok(result);
    const byLabel = new Map(result.items.map((i) => [i.label, i]));
    assert.equal(byLabel.get('z')?.kind, 'argument');
    assert.equal(byLabel.get('gamma')?.detail, 'param gamma = 2 in [0, 5]');
    assert.equal(byLabel.get('p_of')?.kind, 'helper');
    assert.equal(byLabel.get('p_of')?.detail, 'p_of(z)');
    assert.equal(byLabel.get('p_of')?.snippet, 'p_of(${1:z})');
    assert.equal(byLabel.get('focal')?.kind, 'loss');
    assert.match(byLabel.get('focal')?.documentation ?? '', /probability loss, defined on line 8/);
    assert.equal(byLabel.get('clip')?.detail, 'clip(x, lo, hi)');
    assert.match(byLabel.get('softplus')?.documentation ?? '', /without overflow/);
    assert.equal(byLabel.get('pi')?.kind, 'constant');
    assert.equal(byLabel.has('focal_logit'), false, 'a definition cannot call itself');
    assert.equal(byLabel.has('p'), false, "another definition's argument is not in scope");
    // The word being typed is what an item replaces.
    const at = positionOf(focal, 'focal_logit(z) =', 'softplus', true);
    assert.deepEqual(result.range, { startLine: at.line, startColumn: at.column - 'softplus'.length, endLine: at.line, endColumn: at.column });
  });

  it('offers only the params declared above the line, since a later one is an error there', () => {
    const { document, position } = withCursor('param a = 1 in [0, 2]\nf(z) = |\nparam b = 1 in [0, 2]');
    const labels = completeAt(document, position)?.items.map((i) => i.label);
    assert.ok(labels?.includes('a'));
    assert.ok(!labels?.includes('b'));
  });

  it('offers directives after @, kinds after @kind, and param at the start of a line', () => {
    const directive = withCursor('@k|');
    assert.deepEqual(
      completeAt(directive.document, directive.position)?.items.map((i) => i.label),
      ['@kind', '@cite', '@classes', '@helper'],
    );
    const kind = withCursor('@kind pro|');
    assert.ok(completeAt(kind.document, kind.position)?.items.some((i) => i.label === 'probability' && i.kind === 'kind'));
    const start = withCursor('\npa|');
    const param = completeAt(start.document, start.position)?.items.find((i) => i.label === 'param');
    assert.equal(param?.snippet, 'param ${1:name} = ${2:1} in [${3:0}, ${4:10}]');
  });

  it('offers nothing in a comment, in a param line, or in the name of a new definition', () => {
    for (const text of ['# log|', 'param g|', 'f(z) = z # s|']) {
      const { document, position } = withCursor(text);
      assert.deepEqual(completeAt(document, position)?.items ?? [], [], text);
    }
  });

  it('completes in a Python `# loss:` comment with the params of the file, and not in its code', () => {
    const py = example('embedded.py', 'python');
    const labels = completeAt(py, positionOf(py, '# loss: pinball', 'tau * r', true))?.items.map((i) => i.label);
    assert.ok(labels?.includes('tau'));
    assert.ok(labels?.includes('focal'), 'losses above are callable');
    assert.ok(labels?.includes('max'));
    assert.equal(completeAt(py, positionOf(py, 'return F.softplus', 'softplus', true)), undefined);
  });

  it('completes in a Markdown ```loss block with the names of that block only', () => {
    const md = example('notes.md', 'markdown');
    const labels = completeAt(md, positionOf(md, 'sigmoid_loss(z) =', 'sigmoid(z)'))?.items.map((i) => i.label);
    assert.ok(labels?.includes('sigmoid'));
    assert.ok(!labels?.includes('q'), 'the param of the other block is not in scope');
    assert.equal(completeAt(md, positionOf(md, 'Each fenced block', 'fenced', true)), undefined);
  });

  it('completes `use` with the losses of the library, then "library", then the used loss\'s params', () => {
    const use = withCursor('use hu|');
    const huber = completeAt(use.document, use.position)?.items.find((i) => i.label === 'huber');
    assert.equal(huber?.detail, 'huber(r)');
    assert.match(huber?.documentation ?? '', /regression loss of the library \(regression.loss\)[\s\S]*Huber, 1964/);
    const from = withCursor('use huber |');
    assert.deepEqual(
      completeAt(from.document, from.position)?.items.map((i) => i.label),
      ['from "library"'],
    );
    const params = withCursor('use huber from "library" with |');
    assert.deepEqual(
      completeAt(params.document, params.position)?.items.map((i) => i.label),
      ['delta'],
    );
    const call = withCursor('use huber from "library"\nmine(r) = hu|');
    assert.equal(completeAt(call.document, call.position)?.items.find((i) => i.label === 'huber')?.kind, 'loss');
  });
});
