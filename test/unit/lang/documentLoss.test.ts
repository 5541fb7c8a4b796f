/** Losses read from Python comments and Markdown blocks, as the command line reads them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLossInDocument, languageIdOfFile } from '../../../src/core/documentLoss';

describe('the language of a file', () => {
  it('follows the extension, and anything else is .loss text', () => {
    assert.equal(languageIdOfFile('a/train.py'), 'python');
    assert.equal(languageIdOfFile('NOTES.MD'), 'markdown');
    assert.equal(languageIdOfFile('loss.ts'), 'typescript');
    assert.equal(languageIdOfFile('loss.mjs'), 'javascript');
    assert.equal(languageIdOfFile('focal.loss'), 'loss');
    assert.equal(languageIdOfFile('README'), 'loss');
  });
});

describe('a loss in a document', () => {
  const python = ['import torch', '# param gamma = 2 in [0, 5]', '# loss: focal(p) = -(1 - p)^gamma * log(p)', 'def f(): pass'].join('\n');

  it('finds a Python comment loss with its params, line-aligned with the file', () => {
    const r = findLossInDocument(python, 'python', 'focal');
    assert.ok(r.ok);
    assert.equal(r.loss.info.name, 'focal');
    assert.deepEqual(
      r.loss.params.map((p) => p.decl.name),
      ['gamma'],
    );
    assert.equal(r.text.split('\n').length, 4);
  });

  it('finds the block that defines the name among several Markdown blocks', () => {
    const md = ['# Notes', '```loss', 'hinge(z) = max(0, 1 - z)', '```', 'text', '```loss', 'sq(r) = r^2', '```'].join('\n');
    const r = findLossInDocument(md, 'markdown', 'sq');
    assert.ok(r.ok);
    assert.equal(r.loss.info.name, 'sq');
  });

  it('reports the errors of the block that defines the name, at the host line', () => {
    const md = ['```loss', 'hinge(z) = max(0, 1 - z)', '```', '```loss', 'bad(z) = log(zz)', '```'].join('\n');
    const r = findLossInDocument(md, 'markdown', 'bad');
    assert.ok(!r.ok);
    assert.equal(r.diagnostics[0]?.range.startLine, 4);
    assert.match(r.diagnostics[0]?.message ?? '', /zz/);
  });

  it('says when a file holds no loss at all', () => {
    const r = findLossInDocument('print(1)\n', 'python');
    assert.ok(!r.ok);
    assert.match(r.diagnostics[0]?.message ?? '', /no loss comment/);
    const m = findLossInDocument('# Title\n', 'markdown');
    assert.ok(!m.ok);
    assert.match(m.diagnostics[0]?.message ?? '', /no ```loss block/);
  });
});
