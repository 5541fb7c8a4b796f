/**
 * The LaTeX export: the loss and its derivative with respect to each differentiable input, as an
 * align* block that KaTeX typesets (throwOnError) for every loss of examples/, library/ and the
 * test fixtures, batch losses included.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import katex from 'katex';
import { findLoss } from '../../../src/core/analyze';
import { exportLoss } from '../../../src/core/export/export';
import { exportCorpus } from './corpus';

function latexOf(text: string, name?: string, params: Record<string, number> = {}): string {
  const found = findLoss(text, name);
  if (!found.ok) throw new Error(JSON.stringify(found.diagnostics));
  const r = exportLoss(found.loss, { target: 'latex', params });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('LaTeX export', () => {
  for (const c of exportCorpus({ includeBatch: true })) {
    it(`${c.id} renders with KaTeX`, () => {
      const r = exportLoss(c.loss, { target: 'latex' });
      assert.ok(r.ok);
      assert.doesNotThrow(() => katex.renderToString(r.value, { displayMode: true, throwOnError: true }));
    });
  }

  it('gives the loss, one derivative per differentiable input, and the params', () => {
    const tex = latexOf('param delta = 1 in [0.01, 10]\nhuber(r) = abs(r) <= delta ? 0.5 * r^2 : delta * (abs(r) - 0.5 * delta)\n', undefined, { delta: 2 });
    assert.match(tex, /\\begin\{align\*\}/);
    assert.match(tex, /\\mathrm\{huber\}\\left\(r\\right\) &= \\begin\{cases\}/);
    // huber'(r) = r inside the band, delta sign(r) outside (Huber 1964).
    assert.match(tex, /\\frac\{\\partial \\mathrm\{huber\}\}\{\\partial r\} &= \\begin\{cases\} r & /);
    assert.match(tex, /\\text\{with \} \\delta = 2/);
  });

  it('writes a gradient for a vector input and none for the class label', () => {
    const tex = latexOf('cross_entropy(s, y) = logsumexp(s) - s[y]\n');
    assert.match(tex, /\\nabla_\{s\}\\, \\mathrm\{cross\\_entropy\} &= /);
    assert.doesNotMatch(tex, /partial y/);
  });

  it('keeps the header as LaTeX comments', () => {
    const tex = latexOf('@cite "Support-Vector Networks" (Cortes & Vapnik, 1995)\nhinge(z) = max(0, 1 - z)\n');
    const comments = tex.split('\n').filter((l) => l.startsWith('%'));
    assert.ok(comments.some((l) => l.includes('Citation: Support-Vector Networks')));
    assert.ok(tex.split('\n').every((l) => l === '' || l.startsWith('%') || /^(\\begin|\\end| {2})/.test(l)));
  });
});
