/**
 * The gradient and stability checks on losses whose answer is known: exp overflows float32
 * above ln(3.4e38) ≈ 88.72, so log(1 + exp(-z)) is infinite for z < -88.72 while softplus(-z)
 * is not; the textbook stable forms (softplus, logsumexp) pass.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CheckContext } from '../../../src/core/checks/context';
import { gradientCheck } from '../../../src/core/checks/gradient';
import { kinkSwitches } from '../../../src/core/checks/kinks';
import type { CheckResult } from '../../../src/core/checks/report';
import { stabilityCheck } from '../../../src/core/checks/stability';
import { runChecks } from '../../../src/core/checks/suite';
import { startBackend } from '../../../src/core/engine/backend';
import type { Executor } from '../../../src/core/engine/executor';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { OPS, type OpName, type OpSpec } from '../../../src/core/ir/ops';
import { lowerToProgram } from '../../../src/core/ir/program';
import { runReference } from '../../../src/core/engine/reference';
import { lowered } from '../lowered';

let executor: Executor;
before(async () => {
  const s = await startBackend();
  executor = tensorExecutor(s.tf, s.backend);
});

const loss = lowered;

function context(text: string, ex: Executor = executor): CheckContext {
  const l = loss(text);
  return { loss: l, params: Object.fromEntries(l.params.map((p) => [p.decl.name, p.decl.value])), executor: ex };
}

async function verdicts(text: string): Promise<Record<string, CheckResult>> {
  const r = await runChecks(executor, loss(text), {});
  assert.ok(r?.ok);
  return Object.fromEntries(r.value.checks.map((c) => [c.id, c]));
}

describe('stability', () => {
  it("reads 64 typical inputs beside the extremes, and reports the value's worst relative error there: cross-entropy within 1e-6", async () => {
    // logsumexp(s) - s[y] runs as logsumexp(s - s[y]) in float32 (ir/float32Forms.ts): a few ulps, not 2e-3 at confident logits.
    const r = await stabilityCheck.run(context('f(s, y) = logsumexp(s) - s[y]'));
    assert.equal(r.verdict, 'pass', r.summary);
    assert.ok((r.metrics.typical_max_rel_error as number) < 1e-6, `typical error ${r.metrics.typical_max_rel_error}`);
    assert.match(r.summary, /and 64 typical inputs/);
  });

  it('fails log(1 + exp(-z)) with a witness below z = -88.72 and the softplus rewrite', async () => {
    const r = await stabilityCheck.run(context('lg(z) = log(1 + exp(-z))'));
    assert.equal(r.verdict, 'fail');
    assert.ok(typeof r.witness?.z === 'number' && r.witness.z < -88.72, `witness ${JSON.stringify(r.witness)}`);
    assert.equal(r.witness?.rewrite, 'log(1 + exp(-z)) -> softplus(-z)');
    assert.match(r.summary, /rewrite log\(1 \+ exp\(-z\)\) as softplus\(-z\)/);
  });

  it('passes softplus(-z), the stable form of the same loss', async () => {
    assert.equal((await stabilityCheck.run(context('lg(z) = softplus(-z)'))).verdict, 'pass');
  });

  it('fails log(sigmoid(z)) and suggests -softplus(-z)', async () => {
    const r = await stabilityCheck.run(context('ls(z) = -log(sigmoid(z))'));
    assert.equal(r.verdict, 'fail');
    assert.equal(r.witness?.rewrite, 'log(sigmoid(z)) -> -softplus(-z)');
  });

  it('fails log(sum(exp(s))) and suggests logsumexp(s); passes logsumexp(s) - s[y]', async () => {
    const naive = await stabilityCheck.run(context('ce(s, y) = log(sum(exp(s))) - s[y]'));
    assert.equal(naive.verdict, 'fail');
    assert.equal(naive.witness?.rewrite, 'log(sum(exp(s))) -> logsumexp(s)');
    assert.equal((await stabilityCheck.run(context('ce(s, y) = logsumexp(s) - s[y]'))).verdict, 'pass');
  });

  it('passes focal loss, Huber, hinge and binary cross-entropy', async () => {
    for (const text of [
      'param gamma = 2 in [0, 5]\nparam alpha = 0.25 in [0, 1]\nfocal(p) = -alpha * (1 - p)^gamma * log(p)',
      'param delta = 1 in [0.1, 5]\nhuber(r) = abs(r) <= delta ? 0.5 * r^2 : delta * (abs(r) - 0.5 * delta)',
      'hinge(z) = max(0, 1 - z)',
      'bce(p, y) = -(y * log(p) + (1 - y) * log(1 - p))',
    ]) {
      const r = await stabilityCheck.run(context(text));
      assert.equal(r.verdict, 'pass', `${text}: ${r.summary}`);
    }
  });
});

describe('gradient', () => {
  it("passes LossLab's derivatives of smooth and kinked losses", async () => {
    for (const text of ['f(z) = softplus(-z)', 'f(z) = max(0, 1 - z)', 'f(s, y) = logsumexp(s) - s[y]', 'f(p, q) = sum(p .* log(p ./ q))']) {
      const r = await gradientCheck.run(context(text));
      assert.equal(r.verdict, 'pass', `${text}: ${r.summary}`);
      assert.ok((r.metrics.max_rel_error as number) < 1e-6);
    }
  });

  it('catches a wrong derivative rule, with the input where it is wrong', async (t) => {
    const ops = OPS as Record<OpName, OpSpec>;
    const original = ops.tanh;
    // A classic slip: tanh' written as 1 - tanh instead of 1 - tanh².
    ops.tanh = { ...original, vjp: (g, _args, out, adj) => [g.apply('mul', adj, g.apply('sub', g.constant(1), out))] };
    t.after(() => {
      ops.tanh = original;
    });
    const r = await gradientCheck.run(context('f(z) = tanh(z)'));
    assert.equal(r.verdict, 'fail');
    assert.equal(typeof r.witness?.z, 'number');
    assert.ok((r.metrics.max_rel_error as number) > 0.1);
  });

  it('skips points outside the domain, where float64 and float32 are both NaN (log(-expm1(l)) for l > 0)', async () => {
    // ORPO's log odds l - log(-expm1(l)) is defined for l < 0 only; a pairwise sample also has l > 0.
    const r = await gradientCheck.run(context('@kind pairwise\nf(lw, ll) = -lw + softplus(ll - log(-expm1(ll)) - lw + log(-expm1(lw)))'));
    assert.equal(r.verdict, 'pass', r.summary);
  });

  it('catches a backend whose gradient is off', async () => {
    const skewed: Executor = {
      backend: executor.backend,
      compile: (p) => {
        const run = executor.compile(p);
        return async (b) => (await run(b)).map((col) => col.map((x) => x * 1.01));
      },
    };
    const r = await gradientCheck.run(context('f(z) = softplus(-z)', skewed));
    assert.equal(r.verdict, 'fail');
    assert.match(r.summary, /backend's gradient/);
  });

  it('finds the kink of the hinge loss at z = 1 from its switch, 1 - z', () => {
    const l = loss('hinge(z) = max(0, 1 - z)');
    const switches = kinkSwitches(l.graph, l.value);
    assert.equal(switches.length, 1);
    const [s] = runReference(lowerToProgram(l.graph, switches), { rows: 3, values: { z: [0.5, 1, 1.5] } });
    const [below, at, above] = Array.from(s as Float64Array, Math.sign);
    assert.equal(Math.abs(at as number), 0);
    assert.notEqual(below, above);
  });
});

describe('the check suite', () => {
  it('reports the checks of the contract, in order, for the Done-when losses', async () => {
    const bad = await verdicts('lg(z) = log(1 + exp(-z))');
    // Every kind gets these, in this order (README, Checks); kind-specific checks follow.
    assert.deepEqual(Object.keys(bad).slice(0, 6), ['gradient', 'stability', 'smoothness', 'convexity', 'lipschitz', 'bounded']);
    assert.ok(Object.keys(bad).includes('calibration'), 'a margin loss gets the calibration check');
    assert.ok(!Object.keys(bad).includes('properness'), 'a check that does not apply to the kind is left out');
    assert.equal(bad.stability?.verdict, 'fail');
    const good = await verdicts('lg(z) = softplus(-z)');
    assert.equal(good.stability?.verdict, 'pass');
    assert.equal(good.gradient?.verdict, 'pass');
  });

  it('refuses an unknown check id and an unknown param', async () => {
    const l = loss('f(z) = softplus(-z)');
    const r1 = await runChecks(executor, l, {}, { only: ['calibraton'] });
    assert.ok(r1 && !r1.ok && /unknown check 'calibraton'/.test(r1.message));
    const r2 = await runChecks(executor, l, { gamma: 1 });
    assert.ok(r2 && !r2.ok && /has no param 'gamma'/.test(r2.message));
  });
});
