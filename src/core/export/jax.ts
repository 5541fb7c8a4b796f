/**
 * JAX: jax.numpy and jax.nn, with jax.nn's stable softplus, log_sigmoid and logsumexp. JAX is
 * not installable on LossLab's build machines; this target is printed by the same code as the
 * NumPy export (which is tested numerically) and its API names are pinned by the tests.
 */
import type { ExportPlan } from './exportPlan';
import { argsortSpelling, numpyStyle, numpyTensorStyle } from './numpy';
import { call, mathFunctions, type PythonDialect } from './pythonDialect';
import { renderPythonExport } from './pythonExport';

export const JAX: PythonDialect = {
  ...numpyStyle('jnp'),
  ...argsortSpelling('jnp', 'stable=True'),
  imports: ['import jax', 'import jax.numpy as jnp', 'import jax.scipy.special as jsp_special'],
  elementwise: {
    ...mathFunctions('jnp'),
    asin: call('jnp.arcsin'),
    acos: call('jnp.arccos'),
    atan: call('jnp.arctan'),
    erf: call('jsp_special.erf'),
    lgamma: call('jsp_special.gammaln'),
    sigmoid: call('jax.nn.sigmoid'),
    softplus: call('jax.nn.softplus'),
    relu: call('jax.nn.relu'),
    logSigmoid: call('jax.nn.log_sigmoid'),
  },
  logsumexp: (v) => `jax.nn.logsumexp(${v}, axis=-1, keepdims=True)`,
  tensor: {
    ...numpyTensorStyle('jnp'),
    logsumexpAlong: (x, a) => `jax.nn.logsumexp(${x}, axis=${a}, keepdims=True)`,
    softmaxAlong: (x, a) => `jax.nn.softmax(${x}, axis=${a})`,
    logsumexpAll: call('jax.nn.logsumexp'),
    topk: (x, k) => `jax.lax.top_k(${x}, ${k})[0]`,
  },
  softmax: (v) => `jax.nn.softmax(${v}, axis=-1)`,
  toIndex: (x) => `${x.atom}.astype(jnp.int32)`,
  stopGradient: call('jax.lax.stop_gradient'),
  polygamma: (n, x) => (n === 0 ? `jsp_special.digamma(${x})` : `jsp_special.polygamma(${n}, ${x})`),
  asArray: (name) => `${name} = jnp.asarray(${name})`,
};

export function exportJax(plan: ExportPlan): string {
  return renderPythonExport(plan, { label: 'JAX', dialect: JAX });
}
