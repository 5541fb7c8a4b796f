/**
 * What an array library looks like to the Python printer (pythonPrinter.ts): the spelling of each
 * operation, and the Python names and number literals every dialect shares. PyTorch, JAX,
 * TensorFlow and NumPy are one `PythonDialect` each.
 */
import type { InputRole } from '../lang/kinds';

type Unary = (x: string) => string;

/** An expression as a function argument (`bare`) and as the receiver of a method (`atom`, bracketed if need be). */
export interface Operand {
  readonly bare: string;
  readonly atom: string;
}

/** `f(x)`, the spelling of most of a dialect's functions. */
export const call =
  (f: string): Unary =>
  (x) =>
    `${f}(${x})`;

const MATH_FUNCTIONS = ['abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'tanh', 'sin', 'cos', 'sinh', 'cosh'] as const;
type MathFunction = (typeof MATH_FUNCTIONS)[number];
/** NumPy spells these arcsin, arccos, arctan; PyTorch and TensorFlow asin, acos, atan. Each dialect says which. */
export type ElementwiseFunction = MathFunction | 'asin' | 'acos' | 'atan' | 'erf' | 'lgamma' | 'sigmoid' | 'softplus' | 'relu';

/** abs, exp, log, log1p, ... as `module.name`: the names NumPy, jax.numpy, torch and tf.math share. */
export function mathFunctions(module: string): Record<MathFunction, Unary> {
  return Object.fromEntries(MATH_FUNCTIONS.map((f) => [f, call(`${module}.${f}`)])) as Record<MathFunction, Unary>;
}

/**
 * The operations of a batch loss (tensor arguments, no row axis): reductions along a 0-based
 * axis keeping it, over every entry, matrix products, reshapes. `shape` arrives as a Python tuple.
 */
export interface TensorSpelling {
  readonly sumAlong: (x: string, axis: number) => string;
  readonly maxAlong: (x: string, axis: number) => string;
  readonly minAlong: (x: string, axis: number) => string;
  readonly logsumexpAlong: (x: string, axis: number) => string;
  readonly softmaxAlong: (x: string, axis: number) => string;
  readonly cumsumAlong: (x: string, axis: number, reversed: boolean) => string;
  /** x_k - x_(k-1) along `axis` (of `size` entries), the first entry kept: the inverse of cumsumAlong. */
  readonly diffAlong: (x: string, axis: number, size: number) => string;
  /** Over every entry, to a scalar. */
  readonly sumAll: Unary;
  readonly maxAll: Unary;
  readonly minAll: Unary;
  readonly logsumexpAll: Unary;
  readonly matmul: (a: string, b: string) => string;
  readonly transpose: Unary;
  readonly reshape: (x: string, shape: string) => string;
  readonly broadcastTo: (x: string, shape: string) => string;
  /** a then b along `axis` (0-based; -1 the last). */
  readonly concatAlong: (a: string, b: string, axis: number) => string;
  /** The k largest entries along the last axis, largest first. */
  readonly topk: (x: string, k: number) => string;
  /** 1, 2, ..., n along `axis` of `shape` (n its size there), broadcast to `shape`, in `ref`'s dtype. */
  readonly positions: (shape: readonly number[], axis: number, ref: string) => string;
}

/** Entries start .. start + length - 1 (0-based) along `axis` (-1 the last), in Python's slice syntax, which every dialect reads; `x` an atom. */
export function pythonSlice(x: string, axis: number, start: number, length: number): string {
  const lead = axis < 0 ? '..., ' : ':, '.repeat(axis);
  return `${x}[${lead}${start}:${start + length}]`;
}

/** A shape as a Python tuple: (), (4,), (4, 3). */
export function pythonShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The shape of `positions` before its broadcast: n along the axis, 1 elsewhere. */
export function positionsView(shape: readonly number[], axis: number): string {
  return pythonShape(shape.map((d, i) => (i === axis ? d : 1)));
}

/** The array library: how each operation is spelled. Arguments arrive printed, ready to use. */
export interface PythonDialect {
  /** A batch loss's tensor operations. */
  readonly tensor: TensorSpelling;
  readonly imports: readonly string[];
  readonly elementwise: Readonly<Record<ElementwiseFunction | 'logSigmoid', Unary>>;
  /** The polygamma function of a whole order n (a Python int), element-wise; n = 0 is the digamma. */
  readonly polygamma: (n: number, x: string) => string;
  /** atan2(y, x), element-wise. */
  readonly atan2: (y: string, x: string) => string;
  readonly maximum: (a: string, b: string) => string;
  readonly minimum: (a: string, b: string) => string;
  readonly clip: (x: string, lo: string, hi: string) => string;
  readonly where: (cond: string, a: string, b: string) => string;
  /** Reductions over the class axis, keeping it: (N, K) -> (N, 1). */
  readonly classSum: Unary;
  readonly classMax: Unary;
  readonly classMin: Unary;
  readonly classMean: Unary;
  readonly logsumexp: Unary;
  readonly softmax: Unary;
  /** Running sums along the class axis, forward and from the end. */
  readonly cumsum: Unary;
  readonly revcumsum: Unary;
  /** x in the ascending order of key along the class axis, stable, NaN last; and its inverse. */
  readonly sortBy: (x: string, key: string) => string;
  readonly unsortBy: (x: string, key: string) => string;
  /** v[i] per row, with `index` an (N, 1) column of 0-based classes. */
  readonly gather: (vector: string, index: string) => string;
  /** The (N, K) one-hot rows of a 0-based index column (or an int) with K classes, in `ref`'s dtype. */
  readonly oneHot: (index: string, classes: string, ref: string) => string;
  /** A column broadcast to the (N, K) shape of `like`. */
  readonly expandTo: (x: string, like: string) => string;
  /** The number of classes, read from a vector input. */
  readonly classCount: Unary;
  /** A bool mask or integer array as floats of `ref`'s dtype. */
  readonly castLike: (x: Operand, ref: string) => string;
  /** A float array of (integer-valued) 0-based classes as an integer index array. */
  readonly toIndex: (x: Operand) => string;
  /** A Python number as an array of `ref`'s dtype, where the library's function refuses numbers. */
  readonly lift?: (x: string, ref: string) => string;
  /** Whether `where` needs its Python-number branches lifted (TensorFlow matches dtypes by position in graphs). */
  readonly liftWhereBranches?: boolean;
  /** The same array with no gradient flowing back through it; absent for a library without autodiff. */
  readonly stopGradient?: Unary;
  readonly logicalAnd: (a: string, b: string) => string;
  readonly logicalOr: (a: string, b: string) => string;
  readonly logicalNot: Unary;
  /** Comparisons are Python operators unless the dialect spells them (TensorFlow's equal). */
  readonly equal?: (a: string, b: string) => string;
  readonly notEqual?: (a: string, b: string) => string;
  readonly mean: Unary;
  readonly sum: Unary;
  /** A statement that makes an input the library's array (in the first input's dtype, for the others). */
  readonly asArray?: (name: string, role: InputRole, first: string | undefined) => string;
}

const PY_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

/** Names the generated code itself uses; a loss's own name that collides gets a trailing `_`. */
const RESERVED = new Set(['torch', 'F', 'nn', 'np', 'jnp', 'jax', 'tf', 'math', 'loss', 'reduction']);

/** The Python name for a .loss name: `lambda` -> `lambda_`. Locals are t1, t2, ... and x_w1, ... */
export function pythonName(name: string): string {
  return PY_KEYWORDS.has(name) || RESERVED.has(name) || /^t\d+$|_w\d+$/.test(name) ? `${name}_` : name;
}

/** A number as Python source: integers as ints (exact, readable), others as shortest floats. */
export function pythonNumber(v: number): string {
  if (Number.isNaN(v)) return 'float("nan")';
  if (!Number.isFinite(v)) return v > 0 ? 'float("inf")' : '-float("inf")';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  // JavaScript prints integers below 1e21 in full; in Python they would be ints (int64 overflow).
  const s = /[.e]/.test(String(v)) ? String(v) : v.toExponential();
  return s.replace('e+', 'e');
}

/** A param default: always a float literal, so the signature says what type it takes. */
export function pythonFloat(v: number): string {
  const s = pythonNumber(v);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}
