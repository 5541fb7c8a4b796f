/**
 * Prints a loss's IR as array-Python, for every `PythonDialect` (PyTorch, JAX, TensorFlow, NumPy).
 * Like `ir/text.ts`, it prints with precedence; the graph's grouping is kept exactly, since
 * a * (b / c) and a * b / c round differently; a subexpression used twice is computed once, into
 * a local. Patterns a person writes differently from LossLab's lowering are printed as that
 * person would: `sum(s .* onehot(y))` is a gather, `-softplus(-u)` is log-sigmoid.
 *
 * Layout: element-wise losses (margin, probability, regression, pairwise) take arrays of any one
 * shape. Losses over vectors take (N, K) rows; their per-row values are (N, 1) columns, the
 * keepdim layout LossLab's own tensors use, and the loss is squeezed to (N,) at the end. Class
 * indices are 0-based, as in PyTorch's cross_entropy: LossLab's 1-based `s[y]` is `s[y - 1]`.
 *
 * Conditionals: autograd differentiates both branches of a `where` everywhere, and multiplies the
 * branch not taken by 0; a branch with log, sqrt or a division can have an infinite derivative
 * there, and 0 * inf is NaN. LossLab differentiates only the branch taken, so such a branch is
 * printed on inputs that carry no gradient where it is not taken (the "double where").
 */
import type { Graph, IrNode, NodeId } from '../ir/graph';
import { sameShape } from '../ir/shape';
import type { OpName } from '../ir/ops';
import { isDifferentiableRole, isVectorRole } from '../lang/kinds';
import type { LoweredLoss } from '../lang/lower';
import { hasSingularDerivative, isTrivial, reachable, readAcrossEntries, sharedNodes, viewOf } from './printerViews';
import { sizeGenericBody } from './sizeGeneric';
import { stabilize } from './stabilize';
import { pythonName, pythonNumber, pythonShape, pythonSlice, type ElementwiseFunction, type Operand, type PythonDialect } from './pythonDialect';

/** What a printed value is in Python: a float array, a bool mask, or 0-based class indices. */
type ValueType = 'float' | 'bool' | 'index';

interface Printed {
  readonly text: string;
  /** Python binding strength (see PREC); higher binds tighter. */
  readonly prec: number;
  readonly type: ValueType;
  /** False for Python numbers: expressions of params and constants only. */
  readonly tensor: boolean;
}

const PREC = {
  conditional: 1,
  or: 2,
  and: 3,
  not: 4,
  compare: 5,
  bitOr: 6,
  bitAnd: 8,
  additive: 10,
  multiplicative: 11,
  unary: 12,
  power: 13,
  atom: 20,
} as const;

const wrap = (p: Printed, min: number): string => (p.prec < min ? `(${p.text})` : p.text);
const atom = (text: string, type: ValueType, tensor: boolean): Printed => ({ text, prec: PREC.atom, type, tensor });
const operand = (p: { text: string; prec: number }): Operand => ({ bare: p.text, atom: p.prec < PREC.atom ? `(${p.text})` : p.text });

export interface PythonBody {
  /** Statements of the function body before the loss, one per line, unindented. */
  readonly statements: readonly string[];
  /** The per-example loss: an (N,) array or an array of the inputs' shape. */
  readonly loss: string;
  /** Whether the loss works on (N, K) rows (true) or element-wise on arrays of any shape. */
  readonly rows: boolean;
}

/** Names in effect while printing: a guarded branch sees its own names for its inputs. */
interface Scope {
  readonly leaves: ReadonlyMap<NodeId, Printed>;
  readonly locals: Map<NodeId, Printed>;
  readonly parent?: Scope;
  /** The leaves renamed in this scope: a parent's local that reads one of them is not reusable. */
  readonly renamed: ReadonlySet<NodeId>;
}

interface InputLeaf {
  readonly leaf: NodeId;
  readonly name: string;
  readonly differentiable: boolean;
}

class PythonPrinter {
  readonly statements: string[] = [];
  private readonly shared: Set<NodeId>;
  private locals = 0;
  private guards = 0;

  constructor(
    private readonly g: Graph,
    private readonly d: PythonDialect,
    root: NodeId,
    /** The first input (always a float array): its dtype and device are the ones to match. */
    private readonly ref: string,
    /** The first vector input, which gives K and the (N, K) shape. */
    private readonly vectorRef: string | undefined,
    private readonly inputs: readonly InputLeaf[],
    /** A batch loss: tensors of their declared shapes, no row axis; reductions over a whole row reduce every entry. */
    private readonly batch = false,
  ) {
    this.shared = sharedNodes(g, root);
  }

  print(id: NodeId, scope: Scope): Printed {
    const leaf = scope.leaves.get(id);
    if (leaf) return leaf;
    const bound = this.lookup(id, scope);
    if (bound) return bound;
    const printed = this.printNode(id, scope);
    return this.shared.has(id) && !isTrivial(this.g, id) ? this.bind(id, printed, scope) : printed;
  }

  private lookup(id: NodeId, scope: Scope): Printed | undefined {
    const here = scope.locals.get(id);
    if (here || !scope.parent) return here;
    const reads = reachable(this.g, id);
    return [...scope.renamed].some((l) => reads.has(l)) ? undefined : this.lookup(id, scope.parent);
  }

  private bind(id: NodeId, printed: Printed, scope: Scope): Printed {
    const name = `t${++this.locals}`;
    this.statements.push(`${name} = ${printed.text}`);
    const local = atom(name, printed.type, printed.tensor);
    scope.locals.set(id, local);
    return local;
  }

  asFloat(p: Printed): Printed {
    if (p.type === 'float') return p;
    if (!p.tensor) return atom(`float(${p.text})`, 'float', false);
    // LossLab's classes are 1-based: an index used as a number is the class LossLab would see.
    const value = p.type === 'index' ? { text: `${wrap(p, PREC.additive)} + 1`, prec: PREC.additive } : p;
    return atom(this.d.castLike(operand(value), this.ref), 'float', true);
  }

  private asBool(p: Printed): Printed {
    if (p.type === 'bool') return p;
    const f = this.asFloat(p);
    return { text: `${wrap(f, PREC.compare + 1)} != 0`, prec: PREC.compare, type: 'bool', tensor: f.tensor };
  }

  /** A float argument of a library function that refuses Python numbers. */
  private asArgument(p: Printed): string {
    const f = this.asFloat(p);
    return !f.tensor && this.d.lift ? this.d.lift(f.text, this.ref) : f.text;
  }

  /** A 0-based class index: an (N, 1) column of ints, or a Python int for a constant class. */
  private classIndex(id: NodeId, scope: Scope): { text: string; constant?: number } {
    const c = this.g.constValue(id);
    if (c !== undefined) return { text: String(c - 1), constant: c - 1 };
    const p = this.print(id, scope);
    if (p.type === 'index') return { text: p.text };
    return { text: this.d.toIndex(operand({ text: `${wrap(this.asFloat(p), PREC.additive)} - 1`, prec: PREC.additive })) };
  }

  private classCount(): string {
    return this.vectorRef !== undefined ? this.d.classCount(this.vectorRef) : String(this.g.classes);
  }

  /**
   * The scope for a branch of `cond ? ... : ...` that autograd would differentiate where it is
   * not taken: each differentiable input it reads is replaced by a copy without gradient there.
   */
  private guardedScope(branch: NodeId, cond: string, perEntry: boolean, taken: boolean, scope: Scope, condShape?: readonly number[]): Scope {
    const stop = this.d.stopGradient;
    const reads = reachable(this.g, branch);
    // A condition per entry guards only inputs read entry by entry: where the branch reads an
    // input through a sum or a sort, detaching its entries by the condition would be wrong.
    const across = perEntry ? readAcrossEntries(this.g, branch) : new Set<NodeId>();
    // In a batch loss the condition guards only inputs of its own shape: a [B] condition cannot pick entries of a [B, D] input.
    const aligned = (leaf: NodeId): boolean => !this.batch || (condShape !== undefined && sameShape(this.g.shape(leaf), condShape));
    const guarded = this.inputs.filter((i) => i.differentiable && reads.has(i.leaf) && !across.has(i.leaf) && aligned(i.leaf));
    if (!stop || guarded.length === 0 || !hasSingularDerivative(this.g, branch)) return scope;
    const leaves = new Map(scope.leaves);
    const n = ++this.guards;
    this.statements.push(`# where ${cond} is ${taken ? 'false' : 'true'} this branch is not taken: it gets no gradient there (else 0 * inf = NaN)`);
    for (const i of guarded) {
      const name = `${i.name}_w${n}`;
      const [whenTrue, whenFalse] = taken ? [i.name, stop(i.name)] : [stop(i.name), i.name];
      this.statements.push(`${name} = ${this.d.where(cond, whenTrue, whenFalse)}`);
      leaves.set(i.leaf, atom(name, 'float', true));
    }
    return { leaves, locals: new Map(), parent: scope, renamed: new Set(guarded.map((i) => i.leaf)) };
  }

  private printWhere(args: readonly NodeId[], scope: Scope): Printed {
    const [c, a, b] = args as [NodeId, NodeId, NodeId];
    let cond = this.asBool(this.print(c, scope));
    if (!cond.tensor) {
      // A condition on params alone is decided once, in Python.
      const [fa, fb] = [this.asFloat(this.print(a, scope)), this.asFloat(this.print(b, scope))];
      return {
        text: `${wrap(fa, PREC.conditional + 1)} if ${wrap(cond, PREC.conditional + 1)} else ${wrap(fb, PREC.conditional)}`,
        prec: PREC.conditional,
        type: 'float',
        tensor: fa.tensor || fb.tensor,
      };
    }
    const guarding = this.d.stopGradient !== undefined && [a, b].some((x) => hasSingularDerivative(this.g, x));
    if (guarding && cond.prec !== PREC.atom) {
      // The guards repeat the condition: compute it once.
      const name = `t${++this.locals}`;
      this.statements.push(`${name} = ${cond.text}`);
      cond = atom(name, 'bool', true);
    }
    const perEntry = this.g.shape(c).length === 1;
    const condShape = this.g.shape(c);
    const fa = this.asFloat(this.print(a, this.guardedScope(a, cond.text, perEntry, true, scope, condShape)));
    const fb = this.asFloat(this.print(b, this.guardedScope(b, cond.text, perEntry, false, scope, condShape)));
    // At least one branch must carry the dtype: two Python numbers would come back as float32.
    const whenTrue = (fa.tensor || fb.tensor) && !this.d.liftWhereBranches ? fa.text : this.asArgument(fa);
    const whenFalse = this.d.liftWhereBranches ? this.asArgument(fb) : fb.text;
    return atom(this.d.where(cond.text, whenTrue, whenFalse), 'float', true);
  }

  /** The ops of a batch loss that a per-sample loss has not: along an axis, over every entry, matrices. */
  private printBatchOp(id: NodeId, scope: Scope): Printed | undefined {
    const n = this.g.node(id);
    if (n.tag !== 'op') return undefined;
    const t = this.d.tensor;
    const axis = n.attrs?.axis ?? 0;
    const shape = this.g.shape(id);
    const arg = (k: number): string => this.asArgument(this.print(n.args[k] as NodeId, scope));
    const float = (text: string): Printed => atom(text, 'float', true);
    switch (n.op) {
      case 'sum_axis':
        return float(t.sumAlong(arg(0), axis));
      case 'max_axis':
        return float(t.maxAlong(arg(0), axis));
      case 'min_axis':
        return float(t.minAlong(arg(0), axis));
      case 'logsumexp_axis':
        return float(t.logsumexpAlong(arg(0), axis));
      case 'softmax_axis':
        return float(t.softmaxAlong(arg(0), axis));
      case 'cumsum_axis':
      case 'revcumsum_axis':
        return float(t.cumsumAlong(arg(0), axis, n.op === 'revcumsum_axis'));
      case 'diff_axis':
        return float(t.diffAlong(arg(0), axis, this.g.shape(n.args[0] as NodeId)[axis] as number));
      case 'sum':
        return float(t.sumAll(arg(0)));
      case 'vmax':
        return float(t.maxAll(arg(0)));
      case 'vmin':
        return float(t.minAll(arg(0)));
      case 'logsumexp':
        return float(t.logsumexpAll(arg(0)));
      case 'matmul':
        return float(t.matmul(arg(0), arg(1)));
      case 'transpose':
        return float(t.transpose(arg(0)));
      case 'expand':
      case 'broadcast':
        return float(t.broadcastTo(arg(0), pythonShape(shape)));
      case 'reshape': {
        // Labels keep their type through a reshape: the comparison that reads them adds the 1.
        const x = this.print(n.args[0] as NodeId, scope);
        const text = x.type === 'index' ? x.text : this.asArgument(x);
        return atom(t.reshape(text, pythonShape(shape)), x.type === 'index' ? 'index' : 'float', true);
      }
      case 'iota':
        return float(t.positions(shape, axis, this.ref));
      case 'slice_axis':
      case 'concat':
      case 'topk':
        return this.printRearrangement(id, scope, axis);
      case 'sum_to':
      case 'pad_axis':
        throw new Error(`bug: ${n.op} is a derivative rule, never in an exported loss`);
      default:
        return undefined;
    }
  }

  /**
   * Slices, concatenation and top-k: along `axis` of a batch loss's tensor, or along the class
   * axis (-1) of a per-sample loss's (N, K) rows.
   */
  private printRearrangement(id: NodeId, scope: Scope, axis: number): Printed {
    const n = this.g.node(id) as IrNode & { tag: 'op' };
    const t = this.d.tensor;
    const arg = (k: number): Printed => this.asFloat(this.print(n.args[k] as NodeId, scope));
    switch (n.op) {
      case 'slice_axis':
        return atom(pythonSlice(wrap(arg(0), PREC.atom), axis, n.attrs?.start ?? 0, n.attrs?.length ?? 1), 'float', true);
      case 'concat':
        return atom(t.concatAlong(this.asArgument(arg(0)), this.asArgument(arg(1)), axis), 'float', true);
      default:
        return atom(t.topk(wrap(arg(0), PREC.atom), n.attrs?.length ?? 1), 'float', true);
    }
  }

  private printNode(id: NodeId, scope: Scope): Printed {
    const { g, d } = this;
    const n = g.node(id);
    if (n.tag === 'const') {
      const text = pythonNumber(n.value);
      return { text, prec: text.startsWith('-') ? PREC.unary : PREC.atom, type: 'float', tensor: false };
    }
    if (n.tag === 'leaf') throw new Error(`bug: leaf '${n.name}' is neither an input nor a param`);
    const view = this.batch ? { kind: 'plain' as const } : viewOf(g, id);
    if (view.kind === 'component') {
      const v = this.print(view.vector, scope);
      const i = this.classIndex(view.index, scope);
      const text = i.constant !== undefined ? `${wrap(v, PREC.atom)}[..., ${i.constant}:${i.constant + 1}]` : d.gather(wrap(v, PREC.atom), i.text);
      return atom(text, 'float', true);
    }
    if (view.kind === 'logSigmoid') {
      const text = d.elementwise.logSigmoid(this.asArgument(this.print(view.arg, scope)));
      return view.negated ? { text: `-${text}`, prec: PREC.unary, type: 'float', tensor: true } : atom(text, 'float', true);
    }
    if (view.kind === 'classMean') return atom(d.classMean(this.asArgument(this.print(view.vector, scope))), 'float', true);
    if (n.op === 'where') return this.printWhere(n.args, scope);
    if (this.batch) {
      const printed = this.printBatchOp(id, scope);
      if (printed !== undefined) return printed;
    }
    if (n.op === 'slice_axis' || n.op === 'concat' || n.op === 'topk') return this.printRearrangement(id, scope, -1);
    if (n.op === 'onehot') return atom(d.oneHot(this.classIndex(n.args[0] as NodeId, scope).text, this.classCount(), this.ref), 'float', true);

    const args = n.args.map((a) => this.print(a, scope));
    const tensor = args.some((a) => a.tensor);
    const [a, b, c] = args as [Printed, Printed, Printed];
    const infix = INFIX[n.op];
    if (infix) {
      const [symbol, prec] = infix;
      // The right operand keeps its brackets at equal precedence: a + (b + c) stays as grouped.
      return { text: `${wrap(this.asFloat(a), prec)} ${symbol} ${wrap(this.asFloat(b), prec + 1)}`, prec, type: 'float', tensor };
    }
    const compare = COMPARE[n.op];
    if (compare) {
      const [fa, fb] = [this.asFloat(a), this.asFloat(b)];
      const spelled = n.op === 'eq' ? d.equal : n.op === 'ne' ? d.notEqual : undefined;
      if (spelled && tensor) return atom(spelled(fa.text, fb.text), 'bool', true);
      return { text: `${wrap(fa, PREC.compare + 1)} ${compare} ${wrap(fb, PREC.compare + 1)}`, prec: PREC.compare, type: 'bool', tensor };
    }
    switch (n.op) {
      case 'neg':
        return { text: `-${wrap(this.asFloat(a), PREC.unary)}`, prec: PREC.unary, type: 'float', tensor };
      case 'pow':
        // Python's ** binds tighter than a unary minus on its left: (-x) ** 2, not -x ** 2.
        return { text: `${wrap(this.asFloat(a), PREC.atom)} ** ${wrap(this.asFloat(b), PREC.atom)}`, prec: PREC.power, type: 'float', tensor };
      case 'and':
      case 'or': {
        const [ba, bb] = [this.asBool(a), this.asBool(b)];
        if (!tensor) {
          const prec = n.op === 'and' ? PREC.and : PREC.or;
          return { text: `${wrap(ba, prec + 1)} ${n.op} ${wrap(bb, prec + 1)}`, prec, type: 'bool', tensor };
        }
        const f = n.op === 'and' ? d.logicalAnd : d.logicalOr;
        return { text: f(wrap(ba, PREC.atom), wrap(bb, PREC.atom)), prec: n.op === 'and' ? PREC.bitAnd : PREC.bitOr, type: 'bool', tensor };
      }
      case 'not': {
        const ba = this.asBool(a);
        if (!tensor) return { text: `not ${wrap(ba, PREC.not)}`, prec: PREC.not, type: 'bool', tensor };
        return { text: d.logicalNot(wrap(ba, PREC.atom)), prec: PREC.unary, type: 'bool', tensor };
      }
      case 'max2':
      case 'min2': {
        // Tensor first, so that a constant reads as the bound it is: maximum(1 - z, 0).
        const [x, y] = b.tensor && !a.tensor ? [b, a] : [a, b];
        const f = n.op === 'max2' ? d.maximum : d.minimum;
        return atom(f(this.asArgument(x), this.asArgument(y)), 'float', true);
      }
      case 'clip': {
        // torch.clamp takes two numbers or two tensors as bounds, not one of each.
        const tensorBounds = b.tensor || c.tensor;
        const [lo, hi] = [b, c].map((x) => (tensorBounds ? this.asArgument(x) : this.asFloat(x).text)) as [string, string];
        return atom(d.clip(this.asArgument(a), lo, hi), 'float', true);
      }
      case 'expand':
        return atom(d.expandTo(this.asArgument(a), this.vectorRef ?? this.ref), 'float', true);
      case 'sort_by':
      case 'unsort_by': {
        const [x, key] = [this.asArgument(a), this.asArgument(b)];
        return atom((n.op === 'sort_by' ? d.sortBy : d.unsortBy)(x, key), 'float', true);
      }
      case 'polygamma':
        return atom(d.polygamma(this.g.constValue(n.args[0] as NodeId) as number, this.asArgument(b)), 'float', true);
      case 'atan2':
        return atom(d.atan2(this.asArgument(a), this.asArgument(b)), 'float', true);
      case 'stop_gradient': {
        // NumPy has no gradient to stop: the value is the value.
        const x = this.asFloat(a);
        return d.stopGradient && x.tensor ? atom(d.stopGradient(wrap(x, PREC.atom)), 'float', true) : x;
      }
      default: {
        const reduction = REDUCTION[n.op];
        if (reduction) return atom(d[reduction](this.asArgument(a)), 'float', true);
        return atom(d.elementwise[n.op as ElementwiseFunction](this.asArgument(a)), 'float', true);
      }
    }
  }
}

const INFIX: Partial<Record<OpName, [string, number]>> = {
  add: ['+', PREC.additive],
  sub: ['-', PREC.additive],
  mul: ['*', PREC.multiplicative],
  div: ['/', PREC.multiplicative],
};
const COMPARE: Partial<Record<OpName, string>> = { lt: '<', le: '<=', gt: '>', ge: '>=', eq: '==', ne: '!=' };
const REDUCTION: Partial<Record<OpName, 'classSum' | 'classMax' | 'classMin' | 'logsumexp' | 'softmax' | 'cumsum' | 'revcumsum'>> = {
  cumsum: 'cumsum',
  revcumsum: 'revcumsum',
  sum: 'classSum',
  vmax: 'classMax',
  vmin: 'classMin',
  logsumexp: 'logsumexp',
  softmax: 'softmax',
};

/**
 * The body of the exported function for `value`, a node of `loss.graph`: the statements that
 * bring inputs to the layout, the locals for shared subexpressions, and the per-example loss.
 */
export function printPythonBody(loss: LoweredLoss, value: NodeId, dialect: PythonDialect): PythonBody {
  if (loss.info.kind === 'batch') return printBatchBody(loss, value, dialect);
  const g = loss.graph;
  const inputs = loss.inputs.map((i) => ({ ...i, name: pythonName(i.spec.name) }));
  const rows = inputs.some((i) => isVectorRole(i.spec.role)) || [...reachable(g, value)].some((id) => g.shape(id).length === 1);
  const prelude: string[] = [];
  inputs.forEach((i, k) => {
    if (dialect.asArray) prelude.push(dialect.asArray(i.name, i.spec.role, k === 0 ? undefined : inputs[0]?.name));
  });
  if (rows)
    for (const i of inputs.filter((x) => !isVectorRole(x.spec.role))) prelude.push(`${i.name} = ${i.name}[..., None]  # (N,) -> (N, 1): one value per row`);

  const leaves = new Map<NodeId, Printed>();
  for (const i of inputs) leaves.set(i.leaf, atom(i.name, i.spec.role === 'classIndex' ? 'index' : 'float', true));
  for (const p of loss.params) leaves.set(p.leaf, atom(pythonName(p.decl.name), 'float', false));
  const printer = new PythonPrinter(
    g,
    dialect,
    value,
    (inputs[0] as { name: string }).name,
    inputs.find((i) => isVectorRole(i.spec.role))?.name,
    inputs.map((i) => ({ leaf: i.leaf, name: i.name, differentiable: isDifferentiableRole(i.spec.role) })),
  );
  const result = printer.asFloat(printer.print(value, { leaves, locals: new Map(), renamed: new Set() }));
  return { statements: [...prelude, ...printer.statements], loss: rows ? `${wrap(result, PREC.atom)}[..., 0]` : result.text, rows };
}

/**
 * A batch loss's body: its inputs are tensors of their declared shapes (no row axis), labels
 * 0-based integers as in PyTorch, and the loss is the scalar the .loss computes. The code reads
 * its sizes from its inputs where the loss allows it (sizeGeneric.ts); otherwise it is written
 * for the sizes it was exported at and refuses other shapes rather than misread them.
 */
function printBatchBody(loss: LoweredLoss, value: NodeId, dialect: PythonDialect): PythonBody {
  const inputs = batchInputs(loss);
  const prelude = arrayPrelude(inputs, dialect);
  const generic = sizeGenericBody(loss, (probe) => printBatchComputation(probe, stabilize(probe.graph, probe.value).value, dialect), pythonName);
  if (generic !== undefined) return { statements: [...prelude, ...generic.statements], loss: generic.loss, rows: false };
  const g = loss.graph;
  const sizes = [...loss.sizes].filter(([name]) => inputs.some((i) => i.spec.dims?.includes(name)));
  const exportedAt = sizes.map(([name, v]) => `${name} = ${v}`).join(', ');
  for (const i of inputs) {
    const shape = pythonShape(g.shape(i.leaf));
    prelude.push(
      `if tuple(${i.name}.shape) != ${shape}:`,
      `    raise ValueError(f"${i.name} has shape {tuple(${i.name}.shape)}; this code was exported for ${shape} (${exportedAt}): export again with --size for others")`,
    );
  }
  const computed = printBatchComputation(loss, value, dialect);
  return { statements: [...prelude, ...computed.statements], loss: computed.loss, rows: false };
}

function batchInputs(loss: LoweredLoss): (LoweredLoss['inputs'][number] & { readonly name: string })[] {
  return loss.inputs.map((i) => ({ ...i, name: pythonName(i.spec.name) }));
}

/** The lines that make each input an array of the dialect (NumPy's asarray), the labels integers. */
function arrayPrelude(inputs: readonly (LoweredLoss['inputs'][number] & { readonly name: string })[], dialect: PythonDialect): string[] {
  const prelude: string[] = [];
  if (!dialect.asArray) return prelude;
  const first = inputs.find((i) => i.spec.role !== 'labels')?.name;
  for (const i of inputs) prelude.push(dialect.asArray(i.name, i.spec.role, i.name === first ? undefined : first));
  return prelude;
}

/** The statements and the loss expression of a batch loss, from its inputs as arrays. */
function printBatchComputation(loss: LoweredLoss, value: NodeId, dialect: PythonDialect): { readonly statements: string[]; readonly loss: string } {
  const g = loss.graph;
  const inputs = batchInputs(loss);
  const floatInputs = inputs.filter((i) => i.spec.role !== 'labels');
  const ref = (floatInputs[0] ?? inputs[0])?.name;
  if (ref === undefined) throw new Error('bug: a batch loss without inputs');
  const leaves = new Map<NodeId, Printed>();
  for (const i of inputs) leaves.set(i.leaf, atom(i.name, i.spec.role === 'labels' ? 'index' : 'float', true));
  for (const p of loss.params) leaves.set(p.leaf, atom(pythonName(p.decl.name), 'float', false));
  const printer = new PythonPrinter(
    g,
    dialect,
    value,
    ref,
    undefined,
    inputs.map((i) => ({ leaf: i.leaf, name: i.name, differentiable: isDifferentiableRole(i.spec.role) })),
    true,
  );
  const result = printer.asFloat(printer.print(value, { leaves, locals: new Map(), renamed: new Set() }));
  return { statements: [...printer.statements], loss: result.text };
}
