/**
 * What the Python exports print: the idioms a person would write (gather, log-sigmoid, the fused
 * stable ops), exact grouping, Python-safe names and numbers, and the request's options. The
 * numbers these programs compute are tested against LossLab in test/integration/export-pytorch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../../../src/cli/args';
import { findLoss } from '../../../src/core/analyze';
import { exportLoss } from '../../../src/core/export/export';
import type { ExportRequest, ExportTarget } from '../../../src/core/export/exportPlan';
import { lossSourceLines } from '../../../src/core/export/source';
import { stabilize } from '../../../src/core/export/stabilize';
import { toText } from '../../../src/core/ir/text';

function exported(text: string, target: ExportTarget, request: Omit<ExportRequest, 'target'> = {}, name?: string): string {
  const found = findLoss(text, name);
  if (!found.ok) throw new Error(JSON.stringify(found.diagnostics));
  const r = exportLoss(found.loss, { target, ...request });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

/** The line that computes the per-example loss. */
const lossLine = (code: string): string => (code.split('\n').find((l) => l.startsWith('    loss = ')) ?? '').trim();

describe('export: multiclass batching', () => {
  const ce = 'cross_entropy(s, y) = logsumexp(s) - s[y]\n';

  it('turns s[y] into a gather over 0-based classes, per row', () => {
    const code = exported(ce, 'pytorch');
    assert.match(code, /^ {4}y = y\[\.\.\., None\] {2}# \(N,\) -> \(N, 1\)/m);
    assert.equal(lossLine(code), 'loss = (torch.logsumexp(s, dim=-1, keepdim=True) - s.gather(-1, y))[..., 0]');
    assert.match(code, /y: class indices, shape \(N,\), integers in 0\.\.K-1/);
  });

  it('spells the gather in each library', () => {
    assert.match(lossLine(exported(ce, 'jax')), /jnp\.take_along_axis\(s, y, axis=-1\)/);
    assert.match(lossLine(exported(ce, 'numpy')), /np\.take_along_axis\(s, y, axis=-1\)/);
    assert.match(lossLine(exported(ce, 'tensorflow')), /tf\.gather\(s, y, axis=1, batch_dims=1\)/);
  });

  it('reads a constant class as a slice: s[2] is column 1', () => {
    assert.equal(lossLine(exported('@classes 4\nsecond(s, y) = s[2] - s[y]\n', 'pytorch')), 'loss = (s[..., 1:2] - s.gather(-1, y))[..., 0]');
  });

  it("takes a mean over the classes the array has, not over LossLab's K", () => {
    assert.equal(
      lossLine(exported('@classes 4\ncentered(s, y) = s[y] - mean(s)\n', 'pytorch')),
      'loss = (s.gather(-1, y) - torch.mean(s, dim=-1, keepdim=True))[..., 0]',
    );
  });

  it('gives y back its 1-based value where it is used as a number', () => {
    assert.match(lossLine(exported('odd(s, y) = y * sum(s)\n', 'pytorch')), /\(y \+ 1\)\.to\(s\.dtype\)/);
  });
});

describe('export: stable forms', () => {
  it('writes log(sigmoid(z)) as the fused log-sigmoid of each library', () => {
    const text = 'ls(z) = -log(sigmoid(z))\n';
    assert.equal(lossLine(exported(text, 'pytorch')), 'loss = -F.logsigmoid(z)');
    assert.equal(lossLine(exported(text, 'jax')), 'loss = -jax.nn.log_sigmoid(z)');
    assert.equal(lossLine(exported(text, 'tensorflow')), 'loss = -tf.math.log_sigmoid(z)');
    const numpy = exported(text, 'numpy');
    assert.equal(lossLine(numpy), 'loss = -_log_sigmoid(z)');
    // The helper and the helper it calls are defined, and nothing else.
    assert.match(numpy, /^def _log_sigmoid\(x\):/m);
    assert.match(numpy, /^def _softplus\(x\):/m);
    assert.doesNotMatch(numpy, /^def _logsumexp/m);
  });

  it("rewrites the naive logistic loss as LossLab's stability check advises, and says so", () => {
    const code = exported('logistic_naive(z) = log(1 + exp(-z))\n', 'pytorch');
    assert.equal(lossLine(code), 'loss = -F.logsigmoid(z)');
    assert.match(code, /^# {3}log\(1 \+ exp\(-z\)\) {2}-> {2}softplus\(-z\)/m);
  });

  it('keeps F.softplus exact in float64 with threshold=40', () => {
    const code = exported('sp(z) = softplus(2 * z)\n', 'pytorch');
    assert.equal(lossLine(code), 'loss = F.softplus(2 * z, threshold=40)');
    assert.match(code, /# F\.softplus\(x, threshold=40\)/);
  });

  it('applies rewrites until none is left, and leaves a stable loss as it is', () => {
    const nested = findLoss('f(z) = log(1 + exp(log(1 + z^2)))\n');
    assert.ok(nested.ok);
    const s = stabilize(nested.loss.graph, nested.loss.value);
    assert.equal(toText(nested.loss.graph, s.value), 'softplus(log1p(z ^ 2))');
    const stable = findLoss('g(z) = softplus(-z)\n');
    assert.ok(stable.ok);
    assert.deepEqual(stabilize(stable.loss.graph, stable.loss.value), { value: stable.loss.value, applied: [] });
  });
});

describe('export: Python that means what the graph means', () => {
  it("keeps the graph's grouping, which decides the rounding", () => {
    assert.equal(lossLine(exported('f(z) = z * (z / 3) - (z - 1)\n', 'numpy')), 'loss = z * (z / 3) - (z - 1)');
  });

  it('brackets a negative base: (-z)^2 is (-z) ** 2, not -z ** 2', () => {
    assert.equal(lossLine(exported('f(z) = (-z)^2\n', 'pytorch')), 'loss = (-z) ** 2');
  });

  it('prints 1e20 as a float literal (as an int it would overflow int64 in torch)', () => {
    assert.equal(lossLine(exported('f(z) = 1e20 * z\n', 'pytorch')), 'loss = 1e20 * z');
  });

  it('imports only what it uses', () => {
    const imports = (code: string) => code.split('\n').filter((l) => /^(import|from) /.test(l));
    assert.deepEqual(imports(exported('sq(z) = (1 - z)^2\n', 'jax')), ['import jax.numpy as jnp']);
    assert.deepEqual(imports(exported('sq(z) = (1 - z)^2\n', 'pytorch')), ['from torch import nn']);
    assert.deepEqual(imports(exported('lg(z) = softplus(-z)\n', 'jax')), ['import jax', 'import jax.numpy as jnp']);
  });

  it('renames a param called like a Python keyword', () => {
    const code = exported('param lambda = 0.5 in [0, 1]\nf(z) = lambda * z\n', 'pytorch');
    assert.match(code, /^def f\(z, \*, lambda_=0\.5, reduction="mean"\):/m);
    assert.match(code, /self\.lambda_ = lambda_/);
  });

  it('decides a condition on params alone in Python', () => {
    assert.equal(lossLine(exported('param gamma = 2 in [0, 5]\nf(z) = gamma > 1 ? z : -z\n', 'pytorch')), 'loss = z if gamma > 1 else -z');
  });

  it('casts a comparison used as a number to the input dtype', () => {
    assert.equal(lossLine(exported('f(z) = (z > 0) * z\n', 'pytorch')), 'loss = z * (z > 0).to(z.dtype)');
    assert.equal(lossLine(exported('f(z) = (z > 0) * z\n', 'tensorflow')), 'loss = z * tf.cast(z > 0, z.dtype)');
  });

  it('gives max(0, 1 - z) the tie rule of LossLab: torch.maximum splits the gradient, clamp would not', () => {
    assert.equal(lossLine(exported('hinge(z) = max(0, 1 - z)\n', 'pytorch')), 'loss = torch.maximum(1 - z, z.new_tensor(0))');
  });

  it('differentiates only the branch taken: inputs of a log branch carry no gradient where it is not taken', () => {
    const text = 'param c = 1 in [0, 2]\nf(p) = p > 0 ? p * log(p) : c\n';
    const torch = exported(text, 'pytorch');
    assert.match(torch, /^ {4}t1 = p > 0$/m);
    assert.match(torch, /^ {4}p_w1 = torch\.where\(t1, p, p\.detach\(\)\)$/m);
    assert.equal(lossLine(torch), 'loss = torch.where(t1, p_w1 * torch.log(p_w1), c)');
    assert.match(exported(text, 'jax'), /p_w1 = jnp\.where\(t1, p, jax\.lax\.stop_gradient\(p\)\)/);
    assert.match(exported(text, 'tensorflow'), /p_w1 = tf\.where\(t1, p, tf\.stop_gradient\(p\)\)/);
    // NumPy computes no gradient: nothing to guard.
    assert.equal(lossLine(exported(text, 'numpy')), 'loss = np.where(p > 0, p * np.log(p), c)');
  });

  it('leaves a conditional with harmless branches as one where', () => {
    const code = exported('param delta = 1 in [0.01, 10]\nhuber(r) = abs(r) <= delta ? 0.5 * r^2 : delta * (abs(r) - 0.5 * delta)\n', 'pytorch');
    assert.doesNotMatch(code, /detach/);
  });
});

describe('export: the request', () => {
  const focal =
    'param gamma = 2 in [0, 5]\nparam alpha = 0.25 in [0, 1]\n@kind probability\n@cite "Focal Loss for Dense Object Detection" (Lin et al., 2017)\nfocal(p) = -alpha * (1 - p)^gamma * log(p)\n';

  it('names the function after the loss, inputs first, params as keywords with their defaults', () => {
    const code = exported(focal, 'pytorch', { reduction: 'sum', params: { gamma: 3 } });
    assert.match(code, /^def focal\(p, \*, gamma=3\.0, alpha=0\.25, reduction="sum"\):/m);
    assert.match(code, /^class FocalLoss\(nn\.Module\):/m);
    assert.match(code, /def __init__\(self, gamma=3\.0, alpha=0\.25, reduction="sum"\):/);
    assert.match(code, /return focal\(p, gamma=self\.gamma, alpha=self\.alpha, reduction=self\.reduction\)/);
  });

  it('refuses a param the loss does not have', () => {
    const found = findLoss(focal);
    assert.ok(found.ok);
    const r = exportLoss(found.loss, { target: 'pytorch', params: { beta: 1 } });
    assert.deepEqual(r, { ok: false, message: "'focal' has no param 'beta'; its params are gamma, alpha" });
  });

  it('carries the source, the citation and the check verdicts it is given in its header', () => {
    const code = exported(focal, 'jax', {
      provenance: {
        file: 'focal.loss',
        source: ['focal(p) = -alpha * (1 - p)^gamma * log(p)'],
        checks: { backend: 'wasm', results: [{ id: 'convexity', verdict: 'pass', summary: 'convex' }] },
      },
    });
    const header = code.split('\n').filter((l) => l.startsWith('#'));
    assert.equal(header[0], '# focal: a probability loss, exported by LossLab from focal.loss to JAX.');
    assert.ok(header.includes('#   focal(p) = -alpha * (1 - p)^gamma * log(p)'));
    assert.ok(header.includes('# Citation: Focal Loss for Dense Object Detection (Lin et al., 2017)'));
    assert.ok(header.some((l) => /^# {3}pass {10}convexity {4}convex$/.test(l)));
  });

  it("takes the loss's lines from its file: params, helpers it calls, directives, definition", () => {
    const text = [
      'param gamma = 2 in [0, 5]',
      'param unused = 1 in [0, 2]',
      '@helper',
      'p_of(z) = sigmoid(z)',
      'other(z) = z * unused',
      '@cite "Focal Loss for Dense Object Detection" (Lin et al., 2017)',
      'focal_logit(z) = (1 - p_of(z))^gamma * softplus(-z)',
    ].join('\n');
    assert.deepEqual(lossSourceLines(text, 'focal_logit'), [
      'param gamma = 2 in [0, 5]',
      '@helper',
      'p_of(z) = sigmoid(z)',
      '@cite "Focal Loss for Dense Object Detection" (Lin et al., 2017)',
      'focal_logit(z) = (1 - p_of(z))^gamma * softplus(-z)',
    ]);
    assert.equal(lossSourceLines(text, 'nope'), undefined);
  });
});

describe('losslab export arguments', () => {
  it('takes --to and --reduction', () => {
    const r = parseCliArgs(['export', 'f.loss', '--to', 'jax', '--reduction', 'none']);
    assert.ok(r.ok);
    assert.equal(r.options.to, 'jax');
    assert.equal(r.options.reduction, 'none');
  });

  it('names the choices when --to or --reduction is wrong', () => {
    assert.deepEqual(parseCliArgs(['export', 'f.loss', '--to', 'keras']), { ok: false, message: '--to must be one of pytorch, jax, tensorflow, numpy, latex' });
    assert.deepEqual(parseCliArgs(['export', 'f.loss', '--to', 'jax', '--reduction', 'max']), {
      ok: false,
      message: '--reduction must be one of mean, sum, none',
    });
  });
});
