/**
 * NumPy, in float64: the reference export, tested value for value against LossLab's float64
 * executor. It needs no SciPy: softplus, log-sigmoid, sigmoid, logsumexp and softmax are the few
 * lines below, the same stable rules as LossLab's own float64 ops (ir/ops.ts).
 */
import type { ExportPlan } from './exportPlan';
import { call, mathFunctions, positionsView, pythonShape, type PythonDialect, type TensorSpelling } from './pythonDialect';
import { renderPythonExport } from './pythonExport';

/**
 * What NumPy and jax.numpy spell alike, with `np` the module's alias: jax.numpy implements
 * NumPy's API, so the JAX export is this printer with jax.nn's stable functions on top.
 */
export function numpyStyle(
  np: string,
): Omit<PythonDialect, 'imports' | 'elementwise' | 'logsumexp' | 'softmax' | 'toIndex' | 'sortBy' | 'unsortBy' | 'polygamma' | 'tensor'> {
  return {
    atan2: (y, x) => `${np}.arctan2(${y}, ${x})`,
    maximum: (a, b) => `${np}.maximum(${a}, ${b})`,
    minimum: (a, b) => `${np}.minimum(${a}, ${b})`,
    clip: (x, lo, hi) => `${np}.clip(${x}, ${lo}, ${hi})`,
    where: (c, a, b) => `${np}.where(${c}, ${a}, ${b})`,
    classSum: (v) => `${np}.sum(${v}, axis=-1, keepdims=True)`,
    classMax: (v) => `${np}.max(${v}, axis=-1, keepdims=True)`,
    classMin: (v) => `${np}.min(${v}, axis=-1, keepdims=True)`,
    classMean: (v) => `${np}.mean(${v}, axis=-1, keepdims=True)`,
    gather: (v, i) => `${np}.take_along_axis(${v}, ${i}, axis=-1)`,
    cumsum: (v) => `${np}.cumsum(${v}, axis=-1)`,
    revcumsum: (v) => `${np}.flip(${np}.cumsum(${np}.flip(${v}, -1), axis=-1), -1)`,
    oneHot: (i, k, ref) => `(${np}.arange(${k}) == ${i}).astype(${ref}.dtype)`,
    expandTo: (x, like) => `${np}.broadcast_to(${x}, ${like}.shape)`,
    classCount: (v) => `${v}.shape[-1]`,
    castLike: (x, ref) => `${x.atom}.astype(${ref}.dtype)`,
    logicalAnd: (a, b) => `${a} & ${b}`,
    logicalOr: (a, b) => `${a} | ${b}`,
    logicalNot: (a) => `~${a}`,
    mean: call(`${np}.mean`),
    sum: call(`${np}.sum`),
  };
}

/** What NumPy and jax.numpy spell alike of a batch loss's operations; logsumexp and softmax are each one's. */
export function numpyTensorStyle(np: string): Omit<TensorSpelling, 'logsumexpAlong' | 'softmaxAlong' | 'logsumexpAll'> {
  return {
    sumAlong: (x, a) => `${np}.sum(${x}, axis=${a}, keepdims=True)`,
    maxAlong: (x, a) => `${np}.max(${x}, axis=${a}, keepdims=True)`,
    minAlong: (x, a) => `${np}.min(${x}, axis=${a}, keepdims=True)`,
    cumsumAlong: (x, a, reversed) => (reversed ? `${np}.flip(${np}.cumsum(${np}.flip(${x}, ${a}), axis=${a}), ${a})` : `${np}.cumsum(${x}, axis=${a})`),
    diffAlong: (x, a) => `${np}.diff(${x}, axis=${a}, prepend=0)`,
    sumAll: call(`${np}.sum`),
    maxAll: call(`${np}.max`),
    minAll: call(`${np}.min`),
    matmul: (a, b) => `${np}.matmul(${a}, ${b})`,
    concatAlong: (a, b, axis) => `${np}.concatenate([${a}, ${b}], axis=${axis})`,
    // The ascending sort of -x, negated: descending, with NaN last as LossLab's topk puts it.
    topk: (x, k) => `-${np}.sort(-${x}, axis=-1)[..., :${k}]`,
    transpose: (x) => `${np}.swapaxes(${x}, -2, -1)`,
    reshape: (x, shape) => `${np}.reshape(${x}, ${shape})`,
    broadcastTo: (x, shape) => `${np}.broadcast_to(${x}, ${shape})`,
    positions: (shape, axis, ref) =>
      `${np}.broadcast_to(${np}.reshape(${np}.arange(1, ${shape[axis]} + 1, dtype=${ref}.dtype), ${positionsView(shape, axis)}), ${pythonShape(shape)})`,
  };
}

/** NumPy's stable argsort is kind="stable"; jax.numpy's is stable=True (its default). Both put NaN last. */
export function argsortSpelling(np: string, stable: string): Pick<PythonDialect, 'sortBy' | 'unsortBy'> {
  const argsort = (key: string) => `${np}.argsort(${key}, axis=-1, ${stable})`;
  return {
    sortBy: (x, key) => (x === key ? `${np}.sort(${x}, axis=-1)` : `${np}.take_along_axis(${x}, ${argsort(key)}, axis=-1)`),
    unsortBy: (x, key) => `${np}.take_along_axis(${x}, ${np}.argsort(${argsort(key)}, axis=-1), axis=-1)`,
  };
}

export const NUMPY: PythonDialect = {
  ...numpyStyle('np'),
  ...argsortSpelling('np', 'kind="stable"'),
  imports: ['import numpy as np'],
  elementwise: {
    ...mathFunctions('np'),
    asin: call('np.arcsin'),
    acos: call('np.arccos'),
    atan: call('np.arctan'),
    erf: call('_erf'),
    lgamma: call('_lgamma'),
    sigmoid: call('_sigmoid'),
    softplus: call('_softplus'),
    relu: (x) => `np.maximum(${x}, 0)`,
    logSigmoid: call('_log_sigmoid'),
  },
  logsumexp: call('_logsumexp'),
  softmax: call('_softmax'),
  tensor: {
    ...numpyTensorStyle('np'),
    logsumexpAlong: (x, a) => `_logsumexp(${x}, axis=${a})`,
    softmaxAlong: (x, a) => `_softmax(${x}, axis=${a})`,
    logsumexpAll: (x) => `_logsumexp(np.reshape(${x}, (-1,)))[0]`,
  },
  toIndex: (x) => `${x.atom}.astype(np.int64)`,
  polygamma: (n, x) => `_polygamma(${n}, ${x})`,
  asArray: (name, role) => (role === 'classIndex' || role === 'labels' ? `${name} = np.asarray(${name})` : `${name} = np.asarray(${name}, dtype=np.float64)`),
};

/** The stable helpers, each emitted only when the body calls it (with what it calls). */
const HELPERS: readonly { readonly name: string; readonly uses: readonly string[]; readonly code: string }[] = [
  {
    name: '_lgamma',
    uses: [],
    code: `def _lgamma(x):
    # The C library's lgamma, element by element; +inf at its poles (0 and the negative integers).
    import math
    def one(v):
        return math.inf if v <= 0 and v == math.floor(v) else math.lgamma(v)
    return np.vectorize(one, otypes=[np.float64])(x)`,
  },
  {
    name: '_polygamma',
    uses: [],
    code: `def _polygamma(n, x):
    # psi^(n)(x) without SciPy, as LossLab computes it: the recurrence up to 10 + n, then the
    # asymptotic series with Bernoulli numbers (A&S 6.4.11); for n = 0 below 0, the reflection.
    import math
    b = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330]
    sign = -1 if n % 2 == 0 else 1
    def one(v):
        if math.isnan(v) or v == -math.inf:
            return math.nan
        if v <= 0 and v == math.floor(v):
            return (-math.inf if v == 0 else math.nan) if n == 0 else (math.inf if n % 2 else math.nan)
        if v == math.inf:
            return math.inf if n == 0 else 0.0
        if n == 0 and v < 0:
            return one(1 - v) - math.pi * math.cos(math.pi * v) / math.sin(math.pi * v)
        shift, y = 0.0, v
        while y < 10 + n:
            shift += 1 / y if n == 0 else y ** -(n + 1)
            y += 1
        t = 1 / y  # powers of 1/y underflow to 0 where those of y would raise OverflowError
        if n == 0:
            return math.log(y) - t / 2 - sum(b[k - 1] / (2 * k) * t ** (2 * k) for k in range(1, 11)) - shift
        f = math.factorial
        series = f(n - 1) * t**n + f(n) / 2 * t ** (n + 1) + sum(b[k - 1] * f(2 * k + n - 1) / f(2 * k) * t ** (2 * k + n) for k in range(1, 11))
        return sign * series + sign * f(n) * shift
    return np.vectorize(one, otypes=[np.float64])(x)`,
  },
  {
    name: '_erf',
    uses: [],
    code: `def _erf(x):
    # NumPy has no erf, and this export needs no SciPy: the C library's erf, element by element.
    import math
    return np.vectorize(math.erf, otypes=[np.float64])(x)`,
  },
  {
    name: '_softplus',
    uses: [],
    code: `def _softplus(x):
    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|): e^x would overflow for x > 709.
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))`,
  },
  {
    name: '_log_sigmoid',
    uses: ['_softplus'],
    code: `def _log_sigmoid(x):
    # log(sigmoid(x)) = -softplus(-x): sigmoid underflows to 0 for x < -745, and log(0) = -inf.
    return -_softplus(-x)`,
  },
  {
    name: '_sigmoid',
    uses: [],
    code: `def _sigmoid(x):
    # Through e^-|x|, so that neither branch overflows.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1, e) / (1 + e)`,
  },
  {
    name: '_logsumexp',
    uses: [],
    code: `def _logsumexp(v, axis=-1):
    # Shifted by the row's maximum (0 where that is infinite), so exp never overflows.
    m = np.max(v, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    return m + np.log(np.sum(np.exp(v - m), axis=axis, keepdims=True))`,
  },
  {
    name: '_softmax',
    uses: [],
    code: `def _softmax(v, axis=-1):
    e = np.exp(v - np.max(v, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)`,
  },
];

function numpyHelpers(body: string): string[] {
  const needed = new Set(HELPERS.filter((h) => body.includes(`${h.name}(`)).map((h) => h.name));
  for (const h of HELPERS) if (needed.has(h.name)) h.uses.forEach((u) => needed.add(u));
  return HELPERS.filter((h) => needed.has(h.name)).map((h) => h.code);
}

export function exportNumpy(plan: ExportPlan): string {
  return renderPythonExport(plan, { label: 'NumPy (float64)', dialect: NUMPY, helpers: numpyHelpers });
}
