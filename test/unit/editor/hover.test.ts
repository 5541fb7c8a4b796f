/**
 * Hover contents on real documents. The numbers come from the closed forms: focal loss
 * l(p) = -alpha (1-p)^gamma log p has l'(p) = alpha gamma (1-p)^(gamma-1) log p - alpha (1-p)^gamma / p
 * (Lin et al., 2017), evaluated at p = 0.5.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LossDocument } from '../../../src/core/editor/document';
import { formatReadout, hoverAt } from '../../../src/core/editor/hover';
import { example, positionOf } from './documents';

const focalValue = (p: number, gamma: number, alpha: number): number => -alpha * (1 - p) ** gamma * Math.log(p);
const focalSlope = (p: number, gamma: number, alpha: number): number => alpha * gamma * (1 - p) ** (gamma - 1) * Math.log(p) - (alpha * (1 - p) ** gamma) / p;

describe('hover', () => {
  const focal = example('focal.loss', 'loss');
  const onFocal = positionOf(focal, 'focal(p) =', 'focal');

  it('over a loss: its definition, kind, LaTeX, value and gradient at the default input, and citation', () => {
    const hover = hoverAt(focal, onFocal);
    assert.ok(hover);
    const md = hover.markdown;
    assert.match(md, /```loss\nfocal\(p\) = -alpha \* \(1 - p\)\^gamma \* log\(p\)\n```/);
    assert.match(md, /\*\*focal\*\*: probability loss/);
    assert.match(md, /LaTeX: `-\\alpha .*\\log/);
    const expected = `at p = 0.5 with gamma = 2, alpha = 0.25: value ${formatReadout(focalValue(0.5, 2, 0.25))}, ∂/∂p = ${formatReadout(focalSlope(0.5, 2, 0.25))}`;
    assert.ok(md.includes(expected), `${md}\nshould include\n${expected}`);
    assert.match(md, /_Focal Loss for Dense Object Detection \(Lin et al., 2017\)_/);
    assert.deepEqual(hover.range, { startLine: onFocal.line, startColumn: 0, endLine: onFocal.line, endColumn: 5 });
  });

  it("reads at the panel's slider values when the panel shows the loss, with the digits asked for", () => {
    const md = hoverAt(focal, onFocal, { shown: { loss: 'focal', params: { gamma: 0, alpha: 0.25 } }, digits: 6 })?.markdown ?? '';
    // gamma = 0 is weighted cross-entropy: -alpha log p, slope -alpha / p.
    const expected = `value ${formatReadout(-0.25 * Math.log(0.5), 6)}, ∂/∂p = ${formatReadout(-0.25 / 0.5, 6)}`;
    assert.ok(md.includes(expected), md);
    assert.match(md, /the panel’s sliders/);
    // Another loss shown in the panel does not change this hover.
    assert.ok(hoverAt(focal, onFocal, { shown: { loss: 'focal_logit', params: { gamma: 0 } } })?.markdown.includes('gamma = 2'));
  });

  it('over a param: its declaration and the losses that use it', () => {
    const md = hoverAt(focal, positionOf(focal, 'focal(p) =', 'gamma'))?.markdown ?? '';
    assert.match(md, /param gamma = 2 in \[0, 5\]/);
    assert.match(md, /hyperparameter of `focal`, `focal_logit`/);
  });

  it('over a helper, an argument, a built-in and a constant', () => {
    assert.match(
      hoverAt(focal, positionOf(focal, 'focal_logit(z) =', 'p_of'))?.markdown ?? '',
      /p_of\(z\) = sigmoid\(z\)[\s\S]*helper, called by `focal_logit`/,
    );
    assert.match(hoverAt(focal, positionOf(focal, 'focal(p) =', 'p)^'))?.markdown ?? '', /a probability in \(0, 1\), input of the probability loss `focal`/);
    assert.match(hoverAt(focal, positionOf(focal, 'focal_logit(z) =', 'softplus'))?.markdown ?? '', /softplus\(x\)[\s\S]*computed without overflow/);
    assert.match(hoverAt(new LossDocument('f(z) = pi * z', 'loss'), { line: 0, column: 8 })?.markdown ?? '', /the constant pi = 3.14159/);
    const notes = example('notes.md', 'markdown');
    assert.equal(hoverAt(notes, positionOf(notes, 'Zhang & Sabuncu interpolate', 'Zhang')), undefined, 'prose is not a loss');
  });

  it('over a multiclass loss in a Markdown block: value and gradient over the logits s = (1, 0, 0, 0), y = 1', () => {
    const md = example('notes.md', 'markdown');
    const text = hoverAt(md, positionOf(md, 'gce(s, y) =', 'gce'))?.markdown ?? '';
    // GCE (Zhang & Sabuncu, 2018): (1 - p_y^q) / q with p_y = softmax(s)_1 = e / (e + 3).
    const py = Math.E / (Math.E + 3);
    assert.ok(text.includes(`value ${formatReadout((1 - py ** 0.7) / 0.7)}`), text);
    assert.match(text, /∂\/∂s = \(-?[\d.]+, [\d.]+, [\d.]+, [\d.]+\)/);
    assert.match(text, /Generalized Cross Entropy/);
  });

  it('over a loss in a Python comment, and nothing over the Python code', () => {
    const py = example('embedded.py', 'python');
    assert.match(hoverAt(py, positionOf(py, '# loss: pinball', 'pinball'))?.markdown ?? '', /\*\*pinball\*\*: regression loss/);
    assert.equal(hoverAt(py, positionOf(py, 'def pinball_loss', 'pinball')), undefined);
  });

  it('over a library loss brought in by `use`: the library definition, its citation, its value at the `with` params', () => {
    const doc = new LossDocument('use huber from "library" with delta = 2\nmine(r) = huber(r) / 2', 'loss');
    const md = hoverAt(doc, { line: 1, column: 12 })?.markdown ?? '';
    assert.match(md, /```loss\nuse huber from "library" with delta = 2\nhuber\(r\) = abs\(r\) <= delta \? 0\.5 \* r\^2 : /);
    assert.match(md, /\*\*huber\*\*: regression loss, from the library/);
    // Huber (1964): r^2 / 2 inside |r| <= delta, so 0.125 and slope r = 0.5 at r = 0.5.
    assert.ok(md.includes('at r = 0.5 with delta = 2: value 0.125, ∂/∂r = 0.5'), md);
    assert.match(md, /_Robust Estimation of a Location Parameter \(Huber, 1964\)_/);
  });

  it('says why a loss that checks but cannot be lowered is not evaluated: indexing a scalar', () => {
    const md = hoverAt(new LossDocument('f(z) = max(z)[2]', 'loss'), { line: 0, column: 0 })?.markdown ?? '';
    assert.match(md, /cannot be evaluated: only a vector .* can be indexed/);
  });
});
