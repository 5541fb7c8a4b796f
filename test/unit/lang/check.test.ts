import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeLossText, findLoss } from '../../../src/core/analyze';
import { checkLossText } from '../../../src/core/lang/check';

/** The first diagnostic of `text`, with 1-based line and column as a person reads them. */
function firstError(text: string): { line: number; column: number; message: string; code: string } {
  const r = analyzeLossText(text);
  const d = r.diagnostics.find((x) => x.severity === 'error');
  assert.ok(d, `expected an error for ${JSON.stringify(text)}`);
  return { line: d.range.startLine + 1, column: d.range.startColumn + 1, message: d.message, code: d.code };
}

describe('the .loss language', () => {
  it('reads params, directives, losses and helpers', () => {
    const r = checkLossText(
      [
        '# focal loss',
        'param gamma = 2 in [0, 5]   # focusing',
        'param alpha = 0.25 in [0, 1]',
        '@kind probability',
        '@cite "Focal Loss for Dense Object Detection" (Lin et al., 2017)',
        'focal(p) = -alpha * (1 - p)^gamma * log(p)',
        '@helper',
        'p_of(z) = sigmoid(z)',
        'focal_logit(z) = focal(p_of(z))',
      ].join('\n'),
    );
    assert.equal(r.ok, true);
    assert.deepEqual(
      r.file.losses.map((l) => [l.name, l.kind]),
      [
        ['focal', 'probability'],
        ['focal_logit', 'margin'],
      ],
    );
    const focal = r.file.losses[0];
    assert.equal(focal?.cite, 'Focal Loss for Dense Object Detection (Lin et al., 2017)');
    assert.deepEqual(
      focal?.params.map((p) => [p.name, p.value, p.min, p.max]),
      [
        ['gamma', 2, 0, 5],
        ['alpha', 0.25, 0, 1],
      ],
    );
    // A helper's params count for the loss that calls it.
    assert.deepEqual(
      r.file.losses[1]?.params.map((p) => p.name),
      ['gamma', 'alpha'],
    );
  });

  it('infers the kind from argument names, as the table of kinds in the README says', () => {
    const r = checkLossText(
      'a(z) = z\nb(p) = p\nc(p, y) = p\nd(s, y) = s[y]\nres(r) = r\nf(yhat, y) = yhat - y\ng(p, q) = sum(p .* q)\n@kind pairwise\nh(m) = m',
    );
    assert.deepEqual(
      r.file.losses.map((l) => l.kind),
      ['margin', 'probability', 'probability', 'multiclass', 'regression', 'regression', 'distribution', 'pairwise'],
    );
  });

  it('takes the number of classes from @classes, 3 by default', () => {
    const r = checkLossText('a(s, y) = s[y]\n@classes 10\nb(s, y) = s[y]');
    assert.deepEqual(
      r.file.losses.map((l) => l.classes),
      [3, 10],
    );
  });

  it('suggests the closest function for a misspelling: sigmod -> sigmoid', () => {
    assert.deepEqual(firstError('lg(z) = sigmod(z)'), {
      line: 1,
      column: 9,
      message: "unknown function 'sigmod' (did you mean 'sigmoid'?)",
      code: 'unknown-function',
    });
  });

  it('names an unknown variable at its column, with a suggestion', () => {
    const e = firstError('param gamma = 2 in [0, 5]\nf(p) = (1 - p)^gama');
    assert.equal(e.message, "unknown name 'gama' (did you mean 'gamma'?)");
    assert.deepEqual([e.line, e.column], [2, 16]);
  });

  it('refuses use before definition', () => {
    const e = firstError('f(z) = g(z)\ng(z) = z');
    assert.equal(e.code, 'use-before-definition');
    assert.match(e.message, /'g' is used before its definition on line 2/);
    assert.deepEqual([e.line, e.column], [1, 8]);
    assert.equal(firstError('f(z) = z * beta\nparam beta = 1 in [0, 2]').code, 'use-before-definition');
  });

  it('refuses recursion', () => {
    const e = firstError('f(z) = f(z - 1)');
    assert.equal(e.code, 'recursion');
    assert.deepEqual([e.line, e.column], [1, 8]);
  });

  it('checks the arity of built-ins and helpers', () => {
    assert.match(firstError('f(z) = log(z, 2)').message, /log takes 1 argument \(log\(x\)\), but got 2/);
    assert.match(firstError('@helper\ng(a, b) = a + b\nf(z) = g(z)').message, /g takes 2 arguments/);
    assert.match(firstError('f(z) = clip(z, 0)').message, /clip takes 3 arguments/);
  });

  it('refuses a param default outside its range, pointing at the default', () => {
    const e = firstError('param gamma = 7 in [0, 5]\nf(p) = p^gamma');
    assert.equal(e.code, 'param-out-of-range');
    assert.equal(e.message, "the default 7 of 'gamma' is outside its range [0, 5]");
    assert.deepEqual([e.line, e.column], [1, 15]);
  });

  it('says an empty file defines no loss', () => {
    for (const text of ['', '# only a comment\n\n']) {
      const e = firstError(text);
      assert.equal(e.code, 'empty-file');
      assert.deepEqual([e.line, e.column], [1, 1]);
    }
  });

  it('reports a syntax error at the column where mathjs stopped', () => {
    const e = firstError('f(z) = (1 + ');
    assert.equal(e.code, 'syntax');
    assert.match(e.message, /^syntax error: /);
    assert.equal(e.line, 1);
    assert.ok(e.column >= 8, `column ${e.column}`);
  });

  it('refuses constructs outside the language instead of evaluating them', () => {
    assert.equal(firstError('f(z) = x = 3').code, 'unsupported');
    assert.equal(firstError('f(z) = [1, 2]').code, 'unsupported');
    assert.equal(firstError('f(z) = z!').code, 'unsupported');
    assert.equal(firstError('f(z) = "text"').code, 'unsupported');
    assert.equal(firstError('f(z) = z % 2').code, 'unsupported');
  });

  it('explains shape errors: indexing a scalar, a vector-valued loss, `*` between vectors', () => {
    assert.match(firstError('f(z) = z[1]').message, /only a vector/);
    assert.match(firstError('f(s, y) = softmax(s)').message, /must be a number, but it is a vector/);
    assert.match(firstError('f(s, y) = sum(s * s)').message, /ambiguous: use `\.\*`/);
    assert.match(firstError('f(s, y) = s[4]').message, /index 4 is outside 1\.\.3/);
    assert.match(firstError('f(z) = logsumexp(z)').message, /logsumexp expects a vector/);
  });

  it('helps with a definition written without arguments', () => {
    assert.match(firstError('focal = 1 - p').message, /'focal' needs its arguments/);
  });

  it('warns when a definition has no kind, and keeps it callable', () => {
    const r = analyzeLossText('sq(x) = x^2\nloss(z) = sq(1 - z)');
    assert.deepEqual(
      r.losses.map((l) => l.name),
      ['loss'],
    );
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0]?.severity, 'warning');
    assert.equal(r.diagnostics[0]?.code, 'no-kind');
  });

  it('refuses a @kind whose signature does not fit', () => {
    assert.equal(firstError('@kind multiclass\nf(z) = z').code, 'kind-signature');
    assert.equal(firstError('@kind banana\nf(z) = z').code, 'unknown-kind');
  });

  it('ignores a # inside a quoted citation', () => {
    const r = checkLossText('@cite "Loss #1" (A, 2020)\nf(z) = z');
    assert.equal(r.file.losses[0]?.cite, 'Loss #1 (A, 2020)');
  });
});

describe('errors stay where they are', () => {
  it('a typo in one definition leaves the others usable', () => {
    const r = analyzeLossText('good(z) = softplus(-z)\nbad(z) = sigmod(z)\n@helper\nh(z) = sigmod(z)\nuses_h(z) = h(z) + 1');
    assert.deepEqual(
      r.losses.map((l) => l.name),
      ['good'],
    );
    assert.deepEqual(
      r.diagnostics.map((d) => d.range.startLine),
      [1, 3],
    );
  });

  it('findLoss lowers a sound loss of a file with errors, and refuses a broken one with the errors', () => {
    const text = 'good(z) = softplus(-z)\nbad(z) = sigmod(z)';
    assert.equal(findLoss(text, 'good').ok, true);
    const bad = findLoss(text, 'bad');
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok && bad.diagnostics[0]?.code === 'unknown-function');
  });
});
