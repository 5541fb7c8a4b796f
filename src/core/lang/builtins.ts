/**
 * The whitelist: every function a .loss expression may call, with its arity, a one-line doc for
 * completion and hover, and how it lowers to IR ops. Anything not named here is refused.
 */
import type { Graph, NodeId } from '../ir/graph';

export type Lowering = { ok: true; node: NodeId } | { ok: false; message: string };

export interface Builtin {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly signature: string;
  readonly doc: string;
  readonly lower: (g: Graph, args: readonly NodeId[]) => Lowering;
}

const ok = (node: NodeId): Lowering => ({ ok: true, node });
const fail = (message: string): Lowering => ({ ok: false, message });
const isVector = (g: Graph, id: NodeId): boolean => g.shape(id) === 'vector';

function elementwise(
  op:
    | 'abs'
    | 'exp'
    | 'log'
    | 'log1p'
    | 'expm1'
    | 'sqrt'
    | 'tanh'
    | 'sin'
    | 'cos'
    | 'sinh'
    | 'cosh'
    | 'asin'
    | 'acos'
    | 'atan'
    | 'erf'
    | 'lgamma'
    | 'stop_gradient'
    | 'sigmoid'
    | 'softplus'
    | 'relu'
    | 'sign',
  doc: string,
): Builtin {
  return { minArgs: 1, maxArgs: 1, signature: `${op}(x)`, doc, lower: (g, [x]) => ok(g.apply(op, x as NodeId)) };
}

/** min/max: of one vector (a reduction) or element-wise of several arguments. */
function extremum(reduce: 'vmax' | 'vmin', pair: 'max2' | 'min2', word: string): Builtin {
  return {
    minArgs: 1,
    maxArgs: 16,
    signature: `${word}(a, b, ...) or ${word}(v)`,
    doc: `the ${word === 'max' ? 'largest' : 'smallest'} of its arguments, or of the entries of one vector`,
    lower: (g, args) => {
      if (args.length === 1) return ok(isVector(g, args[0] as NodeId) ? g.apply(reduce, args[0] as NodeId) : (args[0] as NodeId));
      return ok(args.slice(1).reduce((acc, a) => g.apply(pair, acc, a), args[0] as NodeId));
    },
  };
}

function vectorOnly(name: string, signature: string, doc: string, build: (g: Graph, v: NodeId) => NodeId): Builtin {
  return {
    minArgs: 1,
    maxArgs: 1,
    signature,
    doc,
    lower: (g, [v]) => (isVector(g, v as NodeId) ? ok(build(g, v as NodeId)) : fail(`${name} expects a vector (such as the logits s), but got a scalar`)),
  };
}

/** (1, 2, ..., K): the running sum of ones. */
const positionsOf = (g: Graph, _v: NodeId): NodeId => g.apply('cumsum', g.apply('expand', g.constant(1)));

export const BUILTINS: Readonly<Record<string, Builtin>> = {
  abs: elementwise('abs', "absolute value; abs'(0) = 0"),
  exp: elementwise('exp', 'exponential'),
  log: elementwise('log', 'natural logarithm'),
  log1p: elementwise('log1p', 'log(1 + x), accurate for small x'),
  expm1: elementwise('expm1', 'exp(x) - 1, accurate for small x'),
  sqrt: elementwise('sqrt', 'square root'),
  tanh: elementwise('tanh', 'hyperbolic tangent'),
  sin: elementwise('sin', 'sine'),
  cos: elementwise('cos', 'cosine'),
  sinh: elementwise('sinh', 'hyperbolic sine'),
  cosh: elementwise('cosh', 'hyperbolic cosine; log(cosh(r)) is the log-cosh loss'),
  asin: elementwise('asin', 'inverse sine, in [-pi/2, pi/2]; NaN outside [-1, 1]'),
  acos: elementwise('acos', "inverse cosine, in [0, pi]; NaN outside [-1, 1] (ArcFace's angle acos(s_y))"),
  atan: elementwise('atan', "inverse tangent, in (-pi/2, pi/2) (CIoU's aspect term)"),
  atan2: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'atan2(y, x)',
    doc: 'the angle of the point (x, y), in (-pi, pi]',
    lower: (g, [y, x]) => ok(g.apply('atan2', y as NodeId, x as NodeId)),
  },
  erf: elementwise('erf', 'the error function 2/sqrt(pi) ∫_0^x e^(-t^2) dt; the Gaussian CDF is (1 + erf(x / sqrt(2))) / 2'),
  lgamma: elementwise('lgamma', 'log |Gamma(x)|; +inf at 0 and the negative integers (Dirichlet, Poisson and evidential losses)'),
  digamma: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'digamma(x)',
    doc: "psi(x) = Gamma'(x) / Gamma(x), the derivative of lgamma",
    lower: (g, [x]) => ok(g.apply('polygamma', g.constant(0), x as NodeId)),
  },
  polygamma: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'polygamma(n, x)',
    doc: 'the n-th derivative of digamma, for a whole number n (a constant): polygamma(1, x) is the trigamma',
    lower: (g, [n, x]) => {
      const order = g.constValue(n as NodeId);
      if (order === undefined || !Number.isInteger(order) || order < 0 || order > 20)
        return fail('polygamma(n, x) takes a whole number n from 0 to 20 as its order, written as a number');
      return ok(g.apply('polygamma', n as NodeId, x as NodeId));
    },
  },
  stop_gradient: elementwise(
    'stop_gradient',
    "x itself, with no gradient through it (PyTorch's detach, JAX's stop_gradient): the checks and the export honour it",
  ),
  sigmoid: elementwise('sigmoid', 'logistic function 1 / (1 + exp(-x))'),
  softplus: elementwise('softplus', 'log(1 + exp(x)), computed without overflow'),
  relu: elementwise('relu', "max(x, 0); relu'(0) = 0"),
  sign: elementwise('sign', 'the sign of x: -1, 0 or 1'),
  pow: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'pow(x, a)',
    doc: 'x raised to the power a, the same as x^a',
    lower: (g, [x, a]) => ok(g.apply('pow', x as NodeId, a as NodeId)),
  },
  max: extremum('vmax', 'max2', 'max'),
  min: extremum('vmin', 'min2', 'min'),
  clip: {
    minArgs: 3,
    maxArgs: 3,
    signature: 'clip(x, lo, hi)',
    doc: 'x limited to [lo, hi]; the gradient passes on the closed interval',
    lower: (g, [x, lo, hi]) => ok(g.apply('clip', x as NodeId, lo as NodeId, hi as NodeId)),
  },
  logsumexp: vectorOnly('logsumexp', 'logsumexp(s)', 'log(sum(exp(s))), computed without overflow', (g, v) => g.apply('logsumexp', v)),
  softmax: vectorOnly('softmax', 'softmax(s)', 'exp(s) / sum(exp(s)), a probability vector', (g, v) => g.apply('softmax', v)),
  cumsum: vectorOnly(
    'cumsum',
    'cumsum(v)',
    'the running sums v_1, v_1 + v_2, ..., of a vector (Wasserstein-1 of histograms: sum(abs(cumsum(p - q))))',
    (g, v) => g.apply('cumsum', v),
  ),
  revcumsum: vectorOnly('revcumsum', 'revcumsum(v)', 'the sums from each entry to the last, v_k + ... + v_K (the tails of ListMLE)', (g, v) =>
    g.apply('revcumsum', v),
  ),
  sort: vectorOnly('sort', 'sort(v)', 'the entries of a vector in ascending order (NaN last); the gradient flows back through the permutation', (g, v) =>
    g.apply('sort_by', v, v),
  ),
  positions: vectorOnly(
    'positions',
    'positions(v)',
    'the vector (1, 2, ..., K) of the positions of a vector, e.g. the k largest of v are sort(v) .* (positions(v) > K - k)',
    (g, v) => positionsOf(g, v),
  ),
  ranks: vectorOnly('ranks', 'ranks(v)', 'the 1-based rank of each entry of v in ascending order (ties by position): sort(v)[ranks(v)[i]] = v[i]', (g, v) =>
    g.apply('unsort_by', positionsOf(g, v), v),
  ),
  sum_over: {
    minArgs: 4,
    maxArgs: 4,
    signature: 'sum_over(k, from, to, expression)',
    doc: 'the sum of expression for k = from, from + 1, ..., to (whole numbers written as numbers, at most 1000 terms), e.g. sum_over(k, 1, 6, (1 - p)^k / k) for Taylor cross-entropy',
    // Unrolled by lower.ts, which binds k in the expression; never lowered as an ordinary call.
    lower: () => fail('sum_over binds its index: lowered by the lowering itself'),
  },
  sort_by: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'sort_by(x, key)',
    doc: 'the entries of x in the ascending order of key (stable, NaN last), e.g. sort_by(s, -q) lists logits by falling relevance q',
    lower: (g, [x, key]) =>
      isVector(g, x as NodeId) && isVector(g, key as NodeId)
        ? ok(g.apply('sort_by', x as NodeId, key as NodeId))
        : fail('sort_by expects two vectors of K entries'),
  },
  sum: {
    minArgs: 1,
    maxArgs: 16,
    signature: 'sum(v) or sum(a, b, ...)',
    doc: 'the sum of the entries of a vector, or of its arguments',
    lower: (g, args) => {
      if (args.length === 1) return ok(isVector(g, args[0] as NodeId) ? g.apply('sum', args[0] as NodeId) : (args[0] as NodeId));
      return ok(args.slice(1).reduce((acc, a) => g.apply('add', acc, a), args[0] as NodeId));
    },
  },
  mean: {
    minArgs: 1,
    maxArgs: 16,
    signature: 'mean(v) or mean(a, b, ...)',
    doc: 'the mean of the entries of a vector, or of its arguments',
    lower: (g, args) => {
      if (args.length === 1) {
        const v = args[0] as NodeId;
        return ok(isVector(g, v) ? g.apply('div', g.apply('sum', v), g.constant(g.classes)) : v);
      }
      const total = args.slice(1).reduce((acc, a) => g.apply('add', acc, a), args[0] as NodeId);
      return ok(g.apply('div', total, g.constant(args.length)));
    },
  },
  dot: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'dot(a, b)',
    doc: 'the inner product of two vectors',
    lower: (g, [a, b]) =>
      isVector(g, a as NodeId) && isVector(g, b as NodeId) ? ok(g.apply('sum', g.apply('mul', a as NodeId, b as NodeId))) : fail('dot expects two vectors'),
  },
  onehot: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'onehot(y)',
    doc: 'the basis vector e_y of length K (1-based), e.g. max(s - 1e30 * onehot(y)) is the largest other logit',
    lower: (g, [y]) => (isVector(g, y as NodeId) ? fail('onehot expects a class index, not a vector') : ok(g.apply('onehot', y as NodeId))),
  },
  norm: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'norm(v)',
    doc: 'the Euclidean norm of a vector (abs of a scalar)',
    lower: (g, [v]) => {
      const x = v as NodeId;
      return ok(isVector(g, x) ? g.apply('sqrt', g.apply('sum', g.apply('mul', x, x))) : g.apply('abs', x));
    },
  },
};

export const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

export function isBuiltinName(name: string): boolean {
  return Object.hasOwn(BUILTINS, name) || Object.hasOwn(CONSTANTS, name);
}
