/**
 * The Python exports parse, and call only the library names of a pinned list. JAX and TensorFlow
 * cannot be installed on these machines (they come only from a package index that is not
 * reachable here), so their code is checked with Python's `ast`, not run: every dotted name it
 * uses must be on the list below, which was read off the JAX 0.4 and TensorFlow 2.16 API
 * references (jax.nn, jax.numpy, jax.lax; tf.math, tf.nn, tf). Every jax.numpy name on the list
 * must also exist in NumPy (jax.numpy implements NumPy's API), and every PyTorch and NumPy name
 * in the installed torch and numpy: the list is checked where it can be.
 *
 * Python is spawned once, with every program of every loss in one batch.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { exportLoss } from '../../../src/core/export/export';
import type { ExportTarget } from '../../../src/core/export/exportPlan';
import { exportCorpus } from './corpus';

type PythonTarget = Exclude<ExportTarget, 'latex'>;

/** The names each target may use, as written in the generated code (through its import aliases). */
const PINNED: Readonly<Record<PythonTarget, { imports: readonly string[]; names: readonly string[]; methods: readonly string[] }>> = {
  pytorch: {
    imports: ['import torch', 'import torch.nn.functional as F', 'from torch import nn'],
    names: [
      ...['abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'tanh', 'sin', 'cos', 'sigmoid', 'relu'].map((f) => `torch.${f}`),
      ...['sinh', 'cosh', 'asin', 'acos', 'atan', 'atan2', 'erf', 'cumsum', 'flip', 'sort', 'lgamma', 'digamma', 'polygamma'].map((f) => `torch.${f}`),
      ...['maximum', 'minimum', 'clamp', 'where', 'sum', 'mean', 'amax', 'amin', 'logsumexp', 'softmax', 'arange', 'broadcast_to'].map((f) => `torch.${f}`),
      ...['matmul', 'transpose', 'reshape', 'diff', 'narrow', 'zeros_like', 'cat', 'topk'].map((f) => `torch.${f}`),
      'F.softplus',
      'F.logsigmoid',
      'nn.Module',
    ],
    methods: [
      '.gather',
      '.to',
      '.dtype',
      '.device',
      '.shape',
      '.long',
      '.new_tensor',
      '.detach',
      '.mean',
      '.sum',
      '.__init__',
      '.values',
      '.indices',
      '.reshape',
    ],
  },
  numpy: {
    // math for the C library's erf, which NumPy lacks (imported inside _erf).
    imports: ['import numpy as np', 'import math'],
    names: [
      ...['abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'tanh', 'sin', 'cos', 'maximum', 'minimum', 'clip', 'where'].map((f) => `np.${f}`),
      ...['sinh', 'cosh', 'arcsin', 'arccos', 'arctan', 'arctan2', 'vectorize', 'float64', 'cumsum', 'flip', 'sort', 'argsort'].map((f) => `np.${f}`),
      ...['erf', 'lgamma', 'inf', 'nan', 'isnan', 'floor', 'log', 'pi', 'cos', 'sin', 'factorial'].map((f) => `math.${f}`),
      ...['sum', 'max', 'min', 'mean', 'take_along_axis', 'arange', 'broadcast_to', 'asarray', 'isfinite', 'float64', 'int64'].map((f) => `np.${f}`),
      ...['matmul', 'swapaxes', 'reshape', 'diff', 'concatenate'].map((f) => `np.${f}`),
    ],
    methods: ['.astype', '.dtype', '.shape'],
  },
  jax: {
    imports: ['import jax', 'import jax.numpy as jnp', 'import jax.scipy.special as jsp_special'],
    names: [
      ...['abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'tanh', 'sin', 'cos', 'maximum', 'minimum', 'clip', 'where'].map((f) => `jnp.${f}`),
      ...['sinh', 'cosh', 'arcsin', 'arccos', 'arctan', 'arctan2', 'cumsum', 'flip', 'sort', 'argsort'].map((f) => `jnp.${f}`),
      ...['erf', 'gammaln', 'digamma', 'polygamma'].map((f) => `jsp_special.${f}`),
      ...['sum', 'max', 'min', 'mean', 'take_along_axis', 'arange', 'broadcast_to', 'asarray', 'int32'].map((f) => `jnp.${f}`),
      ...['matmul', 'swapaxes', 'reshape', 'diff', 'concatenate'].map((f) => `jnp.${f}`),
      ...['sigmoid', 'softplus', 'relu', 'log_sigmoid', 'logsumexp', 'softmax'].map((f) => `jax.nn.${f}`),
      'jax.lax.stop_gradient',
      'jax.lax.top_k',
    ],
    methods: ['.astype', '.dtype', '.shape'],
  },
  tensorflow: {
    imports: ['import tensorflow as tf'],
    names: [
      ...['abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'tanh', 'sin', 'cos', 'sigmoid', 'softplus', 'log_sigmoid'].map((f) => `tf.math.${f}`),
      ...['sinh', 'cosh', 'asin', 'acos', 'atan', 'atan2', 'erf', 'cumsum', 'lgamma', 'digamma', 'polygamma'].map((f) => `tf.math.${f}`),
      'tf.fill',
      'tf.sort',
      'tf.argsort',
      ...['maximum', 'minimum', 'equal', 'not_equal', 'logical_and', 'logical_or', 'logical_not'].map((f) => `tf.math.${f}`),
      ...['reduce_sum', 'reduce_max', 'reduce_min', 'reduce_mean', 'reduce_logsumexp'].map((f) => `tf.math.${f}`),
      'tf.nn.relu',
      'tf.nn.softmax',
      'tf.math.top_k',
      ...['linalg.matmul', 'linalg.matrix_transpose', 'reshape', 'range', 'concat', 'zeros_like'].map((f) => `tf.${f}`),
      ...['clip_by_value', 'where', 'gather', 'one_hot', 'cast', 'broadcast_to', 'shape', 'convert_to_tensor', 'constant', 'stop_gradient', 'int64'].map(
        (f) => `tf.${f}`,
      ),
    ],
    methods: ['.dtype', '.shape', '.values'],
  },
};

/** A name as the generated code writes it, fully qualified, for the installed PyTorch and NumPy. */
const QUALIFIED: Readonly<Record<string, string>> = { torch: 'torch', F: 'torch.nn.functional', nn: 'torch.nn', np: 'numpy', jnp: 'numpy' };
const qualify = (name: string): string => {
  const [alias, ...rest] = name.split('.');
  return [QUALIFIED[alias as string] ?? alias, ...rest].join('.');
};

interface Parsed {
  id: string;
  error?: string;
  imports?: string[];
  names?: string[];
  methods?: string[];
}

describe('Python exports: they parse and use only pinned API names', () => {
  const corpus = exportCorpus({ includeBatch: true });
  const targets = Object.keys(PINNED) as PythonTarget[];
  const programs = corpus.flatMap((c) =>
    targets.map((target) => {
      const r = exportLoss(c.loss, { target });
      if (!r.ok) throw new Error(`${c.id}: ${r.message}`);
      return { id: `${target} ${c.id}`, target, code: r.value };
    }),
  );
  // Names the list pins and that can be looked up here: PyTorch and NumPy as installed, and
  // jax.numpy's names in NumPy, whose API it implements.
  const lookups = [
    ...new Set(
      targets
        .filter((t) => t !== 'tensorflow')
        .flatMap((t) => PINNED[t].names.filter((n) => !n.startsWith('jax.') && !n.startsWith('jsp_special.')).map(qualify)),
    ),
  ];
  let parsed = new Map<string, Parsed>();
  let found = new Set<string>();

  before(() => {
    const run = spawnSync('/usr/bin/python3', [join(__dirname, 'python_names.py')], {
      input: JSON.stringify({ programs: programs.map(({ id, code }) => ({ id, code })), lookups }),
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    assert.equal(run.status, 0, `python failed: ${run.stderr}`);
    const out = JSON.parse(run.stdout) as { programs: Parsed[]; found: string[] };
    parsed = new Map(out.programs.map((p) => [p.id, p]));
    found = new Set(out.found);
  });

  it('pins only names that exist in the installed PyTorch and NumPy (jax.numpy names in NumPy)', () => {
    assert.deepEqual(
      lookups.filter((n) => !found.has(n)),
      [],
    );
  });

  for (const target of targets) {
    it(`${target}: every loss's export parses and uses only the pinned names`, () => {
      const pinned = PINNED[target];
      for (const p of programs.filter((x) => x.target === target)) {
        const r = parsed.get(p.id);
        assert.ok(r, `${p.id}: not parsed`);
        assert.equal(r.error, undefined, `${p.id} does not parse: ${r.error}\n${p.code}`);
        assert.deepEqual(
          (r.imports ?? []).filter((i) => !pinned.imports.includes(i)),
          [],
          `${p.id}: imports`,
        );
        assert.deepEqual(
          (r.names ?? []).filter((n) => !pinned.names.includes(n)),
          [],
          `${p.id}: names off the pinned list`,
        );
        assert.deepEqual(
          (r.methods ?? []).filter((m) => !pinned.methods.includes(m)),
          [],
          `${p.id}: methods off the pinned list`,
        );
      }
    });
  }

  it('the stable forms appear where the issue names them: F.softplus, F.logsigmoid, torch.logsumexp, jax.nn.log_sigmoid', () => {
    const used = (target: PythonTarget) => new Set(programs.filter((p) => p.target === target).flatMap((p) => parsed.get(p.id)?.names ?? []));
    for (const name of ['F.softplus', 'F.logsigmoid', 'torch.logsumexp']) assert.ok(used('pytorch').has(name), name);
    for (const name of ['jax.nn.log_sigmoid', 'jax.nn.softplus', 'jax.nn.logsumexp']) assert.ok(used('jax').has(name), name);
    for (const name of ['tf.math.log_sigmoid', 'tf.math.softplus', 'tf.math.reduce_logsumexp']) assert.ok(used('tensorflow').has(name), name);
  });
});
