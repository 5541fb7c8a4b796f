/**
 * The whitelist: every function a .loss expression may call, with its arity, a one-line doc for
 * completion and hover, and how it lowers to IR ops. Anything not named here is refused.
 */
import type { Graph, NodeId } from '../ir/graph';
import { isScalar } from '../ir/shape';
import {
  axisOf,
  concatAlong,
  diagonal,
  identity,
  logSoftmaxAlong,
  meanAlong,
  meanOfAll,
  reduceAlong,
  topkAlongLast,
  type AxisReduction,
  type Lowering,
} from './tensorLowering';

export type { Lowering } from './tensorLowering';

export interface Builtin {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly signature: string;
  readonly doc: string;
  readonly lower: (g: Graph, args: readonly NodeId[]) => Lowering;
}

const ok = (node: NodeId): Lowering => ({ ok: true, node });
const fail = (message: string): Lowering => ({ ok: false, message });
/** Not a scalar: a vector, matrix or rank-3 tensor. */
const isTensor = (g: Graph, id: NodeId): boolean => !isScalar(g.shape(id));
const isVector = (g: Graph, id: NodeId): boolean => g.shape(id).length === 1;

/** f(x, axis) along an axis when x is a tensor and the second argument a number; `otherwise` else. */
function alongAxisOr(word: string, op: AxisReduction, otherwise: (g: Graph, args: readonly NodeId[]) => Lowering) {
  return (g: Graph, args: readonly NodeId[]): Lowering => {
    const [x, a] = args as [NodeId, NodeId | undefined];
    if (args.length === 2 && isTensor(g, x) && a !== undefined && g.constValue(a) !== undefined) {
      const axis = axisOf(g, x, a, word);
      return axis.ok ? ok(reduceAlong(g, op, x, axis.axis)) : fail(axis.message);
    }
    return otherwise(g, args);
  };
}

/** An axis-only reduction: amax(x, axis), logsumexp(S, 2), ... */
function alongAxis(word: string, x: NodeId, a: NodeId, g: Graph, build: (axis: number) => NodeId): Lowering {
  const axis = axisOf(g, x, a, word);
  return axis.ok ? ok(build(axis.axis)) : fail(axis.message);
}

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
      if (args.length === 1) return ok(isTensor(g, args[0] as NodeId) ? g.apply(reduce, args[0] as NodeId) : (args[0] as NodeId));
      return ok(args.slice(1).reduce((acc, a) => g.apply(pair, acc, a), args[0] as NodeId));
    },
  };
}

/** amax(x, axis) and amin(x, axis), PyTorch's names: max(x, 2) is the element-wise max of x and 2. */
function axisExtremum(op: 'max_axis' | 'min_axis', word: string): Builtin {
  return {
    minArgs: 2,
    maxArgs: 2,
    signature: `${word}(x, axis)`,
    doc: `the ${word === 'amax' ? 'largest' : 'smallest'} entry along an axis (1-based) of a tensor; ties share the gradient`,
    lower: (g, [x, a]) => alongAxis(word, x as NodeId, a as NodeId, g, (axis) => reduceAlong(g, op, x as NodeId, axis)),
  };
}

function vectorOnly(name: string, signature: string, doc: string, build: (g: Graph, v: NodeId) => NodeId): Builtin {
  return {
    minArgs: 1,
    maxArgs: 1,
    signature,
    doc,
    lower: (g, [v]) =>
      isVector(g, v as NodeId)
        ? ok(build(g, v as NodeId))
        : fail(
            `${name} expects a vector (such as the logits s), but got ${isTensor(g, v as NodeId) ? `a tensor of rank ${g.shape(v as NodeId).length}` : 'a scalar'}`,
          ),
  };
}

/** cumsum(v) of a vector, cumsum(x, axis) of a tensor. */
function runningSum(word: 'cumsum' | 'revcumsum', op: 'cumsum_axis' | 'revcumsum_axis', doc: string): Builtin {
  return {
    minArgs: 1,
    maxArgs: 2,
    signature: `${word}(v) or ${word}(x, axis)`,
    doc,
    lower: (g, [x, a]) => {
      if (a !== undefined) return alongAxis(word, x as NodeId, a, g, (axis) => g.applyWith(op, { axis }, x as NodeId));
      if (isVector(g, x as NodeId)) return ok(g.apply(word, x as NodeId));
      return fail(isTensor(g, x as NodeId) ? `${word} of a tensor needs its axis: ${word}(x, axis)` : `${word} expects a vector, but got a scalar`);
    },
  };
}

/** Why `a` is not the last axis of `x` (sorting runs along it), or undefined. */
function lastAxisProblem(g: Graph, x: NodeId, a: NodeId, word: string): string | undefined {
  const axis = axisOf(g, x, a, word);
  if (!axis.ok) return axis.message;
  const rank = g.shape(x).length;
  return axis.axis === rank - 1 ? undefined : `${word} runs along the last axis (${rank}); for another, transpose first: ${word}(x', ${rank})'`;
}

/** sort(v) of a vector, sort(x, last axis) of a tensor, through `build`. */
function lastAxis(word: string, signature: string, doc: string, build: (g: Graph, v: NodeId) => NodeId): Builtin {
  return {
    minArgs: 1,
    maxArgs: 2,
    signature,
    doc,
    lower: (g, [x, a]) => {
      if (a !== undefined) {
        const problem = lastAxisProblem(g, x as NodeId, a, word);
        return problem === undefined ? ok(build(g, x as NodeId)) : fail(problem);
      }
      if (isVector(g, x as NodeId)) return ok(build(g, x as NodeId));
      return fail(
        isTensor(g, x as NodeId)
          ? `${word} of a tensor needs its axis, the last: ${word}(x, ${g.shape(x as NodeId).length})`
          : `${word} expects a vector, but got a scalar`,
      );
    },
  };
}

/** 1, 2, ..., n along the last axis of `v`: the positions a ranking counts. */
const positionsAlongLast = (g: Graph, v: NodeId): NodeId => {
  const shape = g.shape(v);
  return shape.length === 1 ? positionsOf(g, v) : g.applyWith('iota', { shape, axis: shape.length - 1 });
};

/** (1, 2, ..., n) for a vector of n: the running sum of ones for K (which the fused kernels know), iota otherwise. */
const positionsOf = (g: Graph, v: NodeId): NodeId => {
  const shape = g.shape(v);
  return shape[0] === g.classes ? g.apply('cumsum', g.apply('expand', g.constant(1))) : g.applyWith('iota', { shape, axis: 0 });
};

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
  amax: axisExtremum('max_axis', 'amax'),
  amin: axisExtremum('min_axis', 'amin'),
  logsumexp: {
    minArgs: 1,
    maxArgs: 2,
    signature: 'logsumexp(s) or logsumexp(x, axis)',
    doc: 'log(sum(exp(s))) over every entry, or along an axis (1-based) of a tensor, computed without overflow',
    lower: (g, [x, a]) => {
      if (a !== undefined) return alongAxis('logsumexp', x as NodeId, a, g, (axis) => reduceAlong(g, 'logsumexp_axis', x as NodeId, axis));
      return isTensor(g, x as NodeId) ? ok(g.apply('logsumexp', x as NodeId)) : fail('logsumexp expects a vector (such as the logits s), but got a scalar');
    },
  },
  softmax: {
    minArgs: 1,
    maxArgs: 2,
    signature: 'softmax(s) or softmax(x, axis)',
    doc: 'exp(s) / sum(exp(s)), a probability vector; along an axis (1-based) of a tensor',
    lower: (g, [x, a]) => {
      if (a !== undefined) return alongAxis('softmax', x as NodeId, a, g, (axis) => g.applyWith('softmax_axis', { axis }, x as NodeId));
      if (isVector(g, x as NodeId)) return ok(g.apply('softmax', x as NodeId));
      return fail(
        isTensor(g, x as NodeId)
          ? 'softmax of a tensor needs its axis: softmax(x, axis), e.g. softmax(S, 2) for each row'
          : 'softmax expects a vector (such as the logits s), but got a scalar',
      );
    },
  },
  log_softmax: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'log_softmax(x, axis)',
    doc: 'x - logsumexp(x, axis) along an axis (1-based), kept in the shape of x: the log-probabilities of cross-entropy',
    lower: (g, [x, a]) => alongAxis('log_softmax', x as NodeId, a as NodeId, g, (axis) => logSoftmaxAlong(g, x as NodeId, axis)),
  },
  normalize: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'normalize(x, axis)',
    doc: "x divided by its Euclidean norm along an axis (1-based), as PyTorch's F.normalize: x / max(norm, 1e-12); normalize(z, 2) puts B embeddings on the unit sphere",
    lower: (g, [x, a]) =>
      alongAxis('normalize', x as NodeId, a as NodeId, g, (axis) => {
        const z = x as NodeId;
        const norm = g.apply('sqrt', g.applyWith('sum_axis', { axis }, g.apply('mul', z, z)));
        return g.apply('div', z, g.apply('max2', norm, g.constant(1e-12)));
      }),
  },
  column: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'column(v)',
    doc: "a vector of n as an n × 1 matrix, to broadcast along rows: S ./ column(norm(S, 2)) (NumPy's v[:, None])",
    lower: (g, [v]) =>
      isVector(g, v as NodeId) ? ok(g.applyWith('reshape', { shape: [...g.shape(v as NodeId), 1] }, v as NodeId)) : fail('column expects a vector'),
  },
  row: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'row(v)',
    doc: "a vector of n as a 1 × n matrix (NumPy's v[None, :])",
    lower: (g, [v]) =>
      isVector(g, v as NodeId) ? ok(g.applyWith('reshape', { shape: [1, ...g.shape(v as NodeId)] }, v as NodeId)) : fail('row expects a vector'),
  },
  transpose: {
    minArgs: 1,
    maxArgs: 1,
    signature: "transpose(A) or A'",
    doc: 'the transpose of a matrix',
    lower: (g, [x]) => ok(g.apply('transpose', x as NodeId)),
  },
  diag: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'diag(S)',
    doc: 'the diagonal of a square matrix, as a vector (the positive pairs of a similarity matrix)',
    lower: (g, [s]) => diagonal(g, s as NodeId),
  },
  trace: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'trace(S)',
    doc: 'the sum of the diagonal of a square matrix',
    lower: (g, [s]) => {
      const d = diagonal(g, s as NodeId);
      return d.ok ? ok(g.apply('sum', d.node)) : d;
    },
  },
  eye: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'eye(n)',
    doc: 'the n × n identity matrix, for a size n (a size name such as B, or a whole number)',
    lower: (g, [n]) => {
      const size = g.constValue(n as NodeId);
      return size !== undefined && Number.isInteger(size) && size >= 1 && size <= 4096
        ? ok(identity(g, size))
        : fail('eye(n) takes a size: a size name such as B, or a whole number from 1 to 4096');
    },
  },
  cumsum: runningSum(
    'cumsum',
    'cumsum_axis',
    'the running sums v_1, v_1 + v_2, ..., of a vector, or along an axis (1-based) of a tensor (Wasserstein-1 of histograms: sum(abs(cumsum(p - q))))',
  ),
  revcumsum: runningSum(
    'revcumsum',
    'revcumsum_axis',
    'the sums from each entry to the last, v_k + ... + v_K, of a vector or along an axis (1-based) of a tensor (the tails of ListMLE)',
  ),
  sort: lastAxis(
    'sort',
    'sort(v) or sort(x, axis)',
    'the entries in ascending order (NaN last), of a vector or along the last axis of a tensor; the gradient flows back through the permutation',
    (g, v) => g.apply('sort_by', v, v),
  ),
  positions: vectorOnly(
    'positions',
    'positions(v)',
    'the vector (1, 2, ..., K) of the positions of a vector, e.g. the k largest of v are sort(v) .* (positions(v) > K - k)',
    (g, v) => positionsOf(g, v),
  ),
  ranks: lastAxis(
    'ranks',
    'ranks(v) or ranks(x, axis)',
    'the 1-based rank of each entry in ascending order (ties by position), of a vector or along the last axis of a tensor: sort(v)[ranks(v)[i]] = v[i]',
    (g, v) => g.apply('unsort_by', positionsAlongLast(g, v), v),
  ),
  diff: {
    minArgs: 1,
    maxArgs: 2,
    signature: 'diff(v) or diff(x, axis)',
    doc: 'the differences x_k - x_(k-1) along the last axis (or the axis given), the first entry kept: diff(cumsum(x)) = x (the Lovász gradient of sorted Jaccard losses)',
    lower: (g, [x, a]) => {
      if (isScalar(g.shape(x as NodeId))) return fail('diff expects a vector or a tensor, but got a scalar');
      if (a === undefined) return ok(g.applyWith('diff_axis', { axis: g.shape(x as NodeId).length - 1 }, x as NodeId));
      return alongAxis('diff', x as NodeId, a, g, (axis) => g.applyWith('diff_axis', { axis }, x as NodeId));
    },
  },
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
    maxArgs: 3,
    signature: 'sort_by(x, key) or sort_by(x, key, axis)',
    doc: 'the entries of x in the ascending order of key (stable, NaN last), of vectors or along the last axis of tensors of one shape, e.g. sort_by(s, -q) lists logits by falling relevance q',
    lower: (g, [x, key, a]) => {
      const lastOk = a === undefined ? undefined : lastAxisProblem(g, x as NodeId, a, 'sort_by');
      if (lastOk !== undefined) return fail(lastOk);
      return isTensor(g, x as NodeId) && isTensor(g, key as NodeId)
        ? ok(g.apply('sort_by', x as NodeId, key as NodeId))
        : fail('sort_by expects two vectors, or two tensors of one shape');
    },
  },
  topk: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'topk(x, k)',
    doc: "the k largest entries of a vector, or of each last-axis slice of a tensor, largest first (PyTorch's topk(x, k).values); k is a whole number or a size; the gradient flows to the entries picked. sum(topk(x, k), 2): the sum of the k largest of each row (top-k SVM)",
    lower: (g, [x, k]) => topkAlongLast(g, x as NodeId, k as NodeId),
  },
  concat: {
    minArgs: 2,
    maxArgs: 3,
    signature: 'concat(a, b) or concat(a, b, axis)',
    doc: 'a then b along the last axis, or along the axis given (1-based); their shapes agree on every other axis: concat(z1, z2, 1) stacks two [B, D] batches into [2B, D]',
    lower: (g, [a, b, axis]) => concatAlong(g, a as NodeId, b as NodeId, axis),
  },
  sum: {
    minArgs: 1,
    maxArgs: 16,
    signature: 'sum(v), sum(x, axis) or sum(a, b, ...)',
    doc: 'the sum of the entries of a vector or tensor, along an axis (1-based) of a tensor, or of its arguments',
    lower: alongAxisOr('sum', 'sum_axis', (g, args) => {
      if (args.length === 1) return ok(isTensor(g, args[0] as NodeId) ? g.apply('sum', args[0] as NodeId) : (args[0] as NodeId));
      return ok(args.slice(1).reduce((acc, a) => g.apply('add', acc, a), args[0] as NodeId));
    }),
  },
  mean: {
    minArgs: 1,
    maxArgs: 16,
    signature: 'mean(v), mean(x, axis) or mean(a, b, ...)',
    doc: 'the mean of the entries of a vector or tensor, along an axis (1-based) of a tensor, or of its arguments',
    lower: (g, args) => {
      const [x, a] = args as [NodeId, NodeId | undefined];
      if (args.length === 2 && isTensor(g, x) && a !== undefined && g.constValue(a) !== undefined) {
        const axis = axisOf(g, x, a, 'mean');
        return axis.ok ? ok(meanAlong(g, x, axis.axis)) : fail(axis.message);
      }
      if (args.length === 1) {
        const v = args[0] as NodeId;
        return ok(isTensor(g, v) ? meanOfAll(g, v) : v);
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
      isVector(g, a as NodeId) && isVector(g, b as NodeId) && g.shape(a as NodeId)[0] === g.shape(b as NodeId)[0]
        ? ok(g.apply('sum', g.apply('mul', a as NodeId, b as NodeId)))
        : fail('dot expects two vectors of one length'),
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
    signature: 'norm(v) or norm(x, axis)',
    doc: 'the Euclidean norm of a vector or of all entries of a tensor (abs of a scalar), or along an axis (1-based): norm(z, 2) of B embeddings',
    maxArgs: 2,
    lower: (g, [v, a]) => {
      const x = v as NodeId;
      if (a !== undefined) return alongAxis('norm', x, a, g, (axis) => g.apply('sqrt', reduceAlong(g, 'sum_axis', g.apply('mul', x, x), axis)));
      return ok(isTensor(g, x) ? g.apply('sqrt', g.apply('sum', g.apply('mul', x, x))) : g.apply('abs', x));
    },
  },
};

export const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

export function isBuiltinName(name: string): boolean {
  return Object.hasOwn(BUILTINS, name) || Object.hasOwn(CONSTANTS, name);
}
