/**
 * The unstable patterns of checks/rewrites.ts, found in the source: the range of each as written,
 * the stable form in its place with the parentheses precedence needs, and agreement with the IR
 * matchers that drive the float32 check (what one flags, the other flags; the fix clears both).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLoss } from '../../../src/core/analyze';
import { findStableRewrites } from '../../../src/core/checks/rewrites';
import { parseLossText } from '../../../src/core/lang/parse';
import { findSourceRewrites } from '../../../src/core/lang/unstable';

/** The one rewrite of a one-line file: what it covers and the line after the fix. */
function rewriteOf(line: string): { covered: string; fixed: string } {
  const parsed = parseLossText(line);
  const [definition] = parsed.definitions;
  assert.ok(definition, `${line} parses`);
  const rewrites = findSourceRewrites(definition, [line]);
  assert.equal(rewrites.length, 1, `one rewrite in ${line}: ${rewrites.map((r) => r.pattern).join('; ')}`);
  const r = rewrites[0] as (typeof rewrites)[0];
  return {
    covered: line.slice(r.range.startColumn, r.range.endColumn),
    fixed: line.slice(0, r.range.startColumn) + r.replacement + line.slice(r.range.endColumn),
  };
}

/** How many rewrites the IR matchers of the stability check find in the loss. */
function irRewrites(text: string, loss: string): number {
  const found = findLoss(text, loss);
  assert.ok(found.ok, `${loss} lowers`);
  return findStableRewrites(found.loss.graph, found.loss.value).length;
}

const CASES: readonly [string, string, string][] = [
  ['a(z) = log(1 + exp(-z))', 'log(1 + exp(-z))', 'a(z) = softplus(-z)'],
  ['a(z) = log(exp(z) + 1) / 2', 'log(exp(z) + 1)', 'a(z) = softplus(z) / 2'],
  ['a(z) = log1p(exp(-z))^2', 'log1p(exp(-z))', 'a(z) = softplus(-z)^2'],
  ['a(z) = 2 * log(sigmoid(z))', 'log(sigmoid(z))', 'a(z) = 2 * -softplus(-z)'],
  ['a(z) = -log(sigmoid(-z))', 'log(sigmoid(-z))', 'a(z) = -(-softplus(z))'],
  ['a(z) = log(1 - sigmoid(z))', 'log(1 - sigmoid(z))', 'a(z) = -softplus(z)'],
  ['a(s, y) = log(sum(exp(s))) - s[y]', 'log(sum(exp(s)))', 'a(s, y) = logsumexp(s) - s[y]'],
  ['a(s, y) = -log(softmax(s)[y])', 'log(softmax(s)[y])', 'a(s, y) = -(s[y] - logsumexp(s))'],
  ['a(s, y) = 3 - log(softmax(s)[y])', 'log(softmax(s)[y])', 'a(s, y) = 3 - (s[y] - logsumexp(s))'],
  ['a(z) = 1 / (1 + exp(-z))', '1 / (1 + exp(-z))', 'a(z) = sigmoid(z)'],
  ['a(r) = 2 * (exp(r) - 1)', 'exp(r) - 1', 'a(r) = 2 * (expm1(r))'],
  ['a(r) = log(1 + r^2)', 'log(1 + r^2)', 'a(r) = log1p(r^2)'],
  ['a(r) = log((1 + abs(r)))', 'log((1 + abs(r)))', 'a(r) = log1p(abs(r))'],
];

describe('unstable patterns in the source', () => {
  for (const [line, covered, fixed] of CASES) {
    it(`${covered} in ${line}`, () => {
      const r = rewriteOf(line);
      assert.equal(r.covered, covered);
      assert.equal(r.fixed, fixed);
    });
  }

  it('agrees with the IR matchers of the float32 check: each pattern is flagged there too, and its fix clears both', () => {
    for (const [line, , fixed] of CASES) {
      const name = 'a';
      assert.ok(irRewrites(line, name) > 0, `the IR matchers flag ${line}`);
      assert.equal(irRewrites(fixed, name), 0, `the IR matchers find nothing in ${fixed}`);
      const [definition] = parseLossText(fixed).definitions;
      assert.deepEqual(definition && findSourceRewrites(definition, [fixed]), [], `nothing left in ${fixed}`);
    }
  });

  it('finds nested patterns, outermost first, and nothing in stable code', () => {
    const line = 'a(z) = log(1 + exp(log(1 + z)))';
    const [definition] = parseLossText(line).definitions;
    assert.deepEqual(definition && findSourceRewrites(definition, [line]).map((r) => r.pattern), ['log(1 + exp(log(1 + z)))', 'log(1 + z)']);
    const stable = 'a(z) = softplus(-z) + log1p(z) + expm1(z) - log(2 + exp(z))';
    const [d] = parseLossText(stable).definitions;
    assert.deepEqual(d && findSourceRewrites(d, [stable]), []);
  });
});
