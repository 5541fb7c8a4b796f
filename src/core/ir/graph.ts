/**
 * LossLab's intermediate form: a hash-consed expression graph.
 *
 * Every node is interned, so equal subexpressions are one node (common subexpressions are
 * computed once by every backend), node ids are topologically ordered (arguments always have
 * smaller ids), and derivatives built by `autodiff.ts` live in the same graph as the loss.
 * Smart constructors fold constants and drop neutral elements as nodes are made, which keeps
 * symbolic derivatives small enough to read and fast to run.
 */
import { OPS, type NodeBuilder, type NodeId, type OpAttrs, type OpName } from './ops';
import { broadcastsTo, isScalar, SCALAR, sameShape, vectorShape, type Shape } from './shape';

export type { NodeId } from './ops';
export type { Shape } from './shape';
export type LeafRole = 'input' | 'param';

export type IrNode =
  | { readonly tag: 'const'; readonly value: number }
  | { readonly tag: 'leaf'; readonly name: string; readonly role: LeafRole; readonly shape: Shape }
  | { readonly tag: 'op'; readonly op: OpName; readonly args: readonly NodeId[]; readonly attrs?: OpAttrs };

export class Graph implements NodeBuilder {
  readonly nodes: IrNode[] = [];
  readonly shapes: Shape[] = [];
  private readonly interned = new Map<string, NodeId>();

  /** The shape [K] of the per-sample kinds' vectors (logits, simplex points). */
  readonly vector: Shape;

  /** `classes` is K, the length of the per-sample kinds' vectors in this graph (logits, simplex points). */
  constructor(readonly classes: number) {
    this.vector = vectorShape(classes);
  }

  node(id: NodeId): IrNode {
    const n = this.nodes[id];
    if (n === undefined) throw new Error(`bug: no IR node ${id}`);
    return n;
  }

  shape(id: NodeId): Shape {
    return this.shapes[id] ?? SCALAR;
  }

  constant(value: number): NodeId {
    // -0 and 0 are one constant; NaN is interned under its own key.
    const v = Object.is(value, -0) ? 0 : value;
    return this.intern(`c:${v}`, { tag: 'const', value: v }, SCALAR);
  }

  leaf(name: string, role: LeafRole, shape: Shape): NodeId {
    return this.intern(`l:${role}:${name}:${shape.join('x')}`, { tag: 'leaf', name, role, shape }, shape);
  }

  constValue(id: NodeId): number | undefined {
    const n = this.node(id);
    return n.tag === 'const' ? n.value : undefined;
  }

  isConst(id: NodeId, value: number): boolean {
    return this.constValue(id) === value;
  }

  /** Applies `op`, simplifying on the way. The one door through which op nodes are made. */
  apply(op: OpName, ...args: NodeId[]): NodeId {
    return this.applyWith(op, NO_ATTRS, ...args);
  }

  /**
   * Applies an op with attributes (an axis, a target shape). Throws a ShapeMismatch (shape.ts)
   * when the arguments' shapes do not fit the op: the lowering reports it at its expression.
   */
  applyWith(op: OpName, attrs: OpAttrs, ...args: NodeId[]): NodeId {
    const spec = OPS[op];
    if (spec.arity !== args.length) throw new Error(`bug: ${op} takes ${spec.arity} arguments, got ${args.length}`);
    const shapes = args.map((a) => this.shape(a));
    const shape = spec.shape(shapes, attrs, this.classes);
    const simplified = attrs === NO_ATTRS ? simplify(this, op, args) : simplifyTensor(this, op, args, shape, attrs);
    if (simplified !== undefined) return simplified;
    const key = attrs === NO_ATTRS ? '' : `|${attrs.axis ?? ''}|${attrs.shape?.join('x') ?? ''}|${attrs.start ?? ''}|${attrs.length ?? ''}`;
    const node: IrNode = attrs === NO_ATTRS ? { tag: 'op', op, args } : { tag: 'op', op, args, attrs };
    return this.intern(`o:${op}:${args.join(',')}${key}`, node, shape);
  }

  /** `n`'s op and attributes applied to new arguments: how passes over a graph rebuild its nodes. */
  rebuild(n: IrNode & { tag: 'op' }, args: readonly NodeId[]): NodeId {
    return this.applyWith(n.op, n.attrs ?? NO_ATTRS, ...args);
  }

  private intern(key: string, node: IrNode, shape: Shape): NodeId {
    const found = this.interned.get(key);
    if (found !== undefined) return found;
    const id = this.nodes.length;
    this.nodes.push(node);
    this.shapes.push(shape);
    this.interned.set(key, id);
    return id;
  }
}

const NO_ATTRS: OpAttrs = {};

/** Identities of the tensor ops: a broadcast, reshape or sum to the shape a value already has is the value. */
function simplifyTensor(g: Graph, op: OpName, args: readonly NodeId[], shape: Shape, attrs: OpAttrs): NodeId | undefined {
  const [a] = args as [NodeId];
  // A slice that keeps every entry, or a pad that adds none, is the value itself.
  if ((op === 'broadcast' || op === 'reshape' || op === 'sum_to' || op === 'slice_axis' || op === 'pad_axis') && sameShape(g.shape(a), shape)) return a;
  if (op === 'reshape') {
    const inner = g.node(a);
    if (inner.tag === 'op' && inner.op === 'reshape') return g.applyWith('reshape', { shape }, inner.args[0] as NodeId);
  }
  if ((op === 'sum_axis' || op === 'max_axis' || op === 'min_axis' || op === 'logsumexp_axis') && sameShape(g.shape(a), shape)) return a;
  if (op === 'slice_axis') return simplifySlice(g, a, attrs, shape);
  return undefined;
}

/**
 * A slice of a broadcast is the broadcast at the slice's shape; a slice that takes back exactly
 * what a pad put in, or one part of a concat, is that value. Adjoints of concat and of slices
 * are full of these (the adjoint of a mean is a broadcast scalar).
 */
function simplifySlice(g: Graph, a: NodeId, attrs: OpAttrs, shape: Shape): NodeId | undefined {
  const inner = g.node(a);
  if (inner.tag !== 'op') return undefined;
  const source = inner.args[0] as NodeId;
  if (inner.op === 'broadcast' && broadcastsTo(g.shape(source), shape)) return g.applyWith('broadcast', { shape }, source);
  if (inner.op === 'pad_axis' && inner.attrs?.axis === attrs.axis && inner.attrs?.start === attrs.start && sameShape(g.shape(source), shape)) return source;
  if (inner.op === 'concat' && inner.attrs?.axis === attrs.axis) {
    const [left, right] = inner.args as [NodeId, NodeId];
    const n = g.shape(left)[attrs.axis as number] as number;
    if (attrs.start === 0 && sameShape(g.shape(left), shape)) return left;
    if (attrs.start === n && sameShape(g.shape(right), shape)) return right;
  }
  return undefined;
}

const COMMUTATIVE: ReadonlySet<OpName> = new Set<OpName>(['add', 'mul', 'max2', 'min2', 'eq', 'ne', 'and', 'or']);

/** Algebraic identities that are exact in IEEE arithmetic for finite operands. */
function simplify(g: Graph, op: OpName, args: NodeId[]): NodeId | undefined {
  const spec = OPS[op];
  const consts = args.map((a) => g.constValue(a));
  if (spec.f64 !== undefined && consts.every((c) => c !== undefined)) {
    return g.constant(spec.f64(...(consts as number[])));
  }
  // Canonical order: constants first, so `mul(2, x)` and `mul(x, 2)` are one node.
  if (COMMUTATIVE.has(op) && args.length === 2) {
    const [a, b] = args as [NodeId, NodeId];
    if ((consts[1] !== undefined && consts[0] === undefined) || (consts[0] === undefined && consts[1] === undefined && b < a)) {
      return g.apply(op, b, a);
    }
  }
  // A broadcast meeting a value of its shape in an element-wise op broadcasts by itself.
  if (spec.f64 !== undefined && args.length === 2) {
    const unexpanded = args.map((x, i) => {
      const n = g.node(x);
      const other = g.shape(args[1 - i] as NodeId);
      if (n.tag !== 'op') return x;
      if (n.op === 'expand' && broadcastsTo(vectorShape(g.classes), other)) return n.args[0] as NodeId;
      if (n.op === 'broadcast' && broadcastsTo(n.attrs?.shape ?? SCALAR, other)) return n.args[0] as NodeId;
      return x;
    });
    if (unexpanded.some((x, i) => x !== args[i])) return g.apply(op, ...unexpanded);
  }
  const [a, b] = args as [NodeId, NodeId];
  const ca = consts[0];
  const cb = consts[1];
  switch (op) {
    case 'add':
      if (ca === 0) return b;
      {
        const merged = mergeConditionals(g, 'add', a, b);
        if (merged !== undefined) return merged;
      }
      if (isNeg(g, b)) return g.apply('sub', a, negated(g, b));
      break;
    case 'sub':
      if (cb === 0) return a;
      {
        const merged = mergeConditionals(g, 'sub', a, b);
        if (merged !== undefined) return merged;
      }
      if (ca === 0) return g.apply('neg', b);
      if (a === b) return g.constant(0);
      if (isNeg(g, b)) return g.apply('add', a, negated(g, b));
      break;
    case 'mul':
      if (ca === 0) return g.constant(0);
      if (ca === 1) return b;
      if (ca === -1) return g.apply('neg', b);
      if (ca !== undefined) {
        const inner = g.node(b);
        // c1 * (c2 * x) = (c1 c2) * x
        if (inner.tag === 'op' && inner.op === 'mul' && g.constValue(inner.args[0] as NodeId) !== undefined) {
          return g.apply('mul', g.constant(ca * (g.constValue(inner.args[0] as NodeId) as number)), inner.args[1] as NodeId);
        }
        if (inner.tag === 'op' && inner.op === 'neg') return g.apply('mul', g.constant(-ca), inner.args[0] as NodeId);
      }
      if (isNeg(g, a) && isNeg(g, b)) return g.apply('mul', negated(g, a), negated(g, b));
      {
        // x * (c ? a : 0) = c ? x a : 0. Derivatives of conditionals are full of these; pushing
        // the product inside also keeps an inactive branch's inf * 0 from becoming NaN.
        const w = whereWithZero(g, b) ?? whereWithZero(g, a);
        if (w !== undefined) {
          const other = w === b ? a : b;
          const [cond, t, f] = (g.node(w) as { args: readonly NodeId[] }).args as [NodeId, NodeId, NodeId];
          return g.apply('where', cond, g.apply('mul', other, t), g.apply('mul', other, f));
        }
        // x * (m1 + m2) = x m1 + x m2 for masked terms, so each is pushed into its conditional.
        const sum = maskedSum(g, b) ? b : maskedSum(g, a) ? a : undefined;
        if (sum !== undefined) return distribute(g, sum, (term) => g.apply('mul', sum === b ? a : b, term));
      }
      if (isNeg(g, a)) return g.apply('neg', g.apply('mul', negated(g, a), b));
      if (isNeg(g, b)) return g.apply('neg', g.apply('mul', a, negated(g, b)));
      break;
    case 'div':
      if (cb === 1) return a;
      if (ca === 0) return g.constant(0);
      if (whereWithZero(g, a) !== undefined) {
        const [cond, t, f] = (g.node(a) as { args: readonly NodeId[] }).args as [NodeId, NodeId, NodeId];
        return g.apply('where', cond, g.apply('div', t, b), g.apply('div', f, b));
      }
      // (m1 + m2) / b = m1 / b + m2 / b: a shared log's adjoint sums branches of conditionals on
      // different conditions, and dividing the sum would give 0/0 where no branch is taken.
      if (maskedSum(g, a)) return distribute(g, a, (term) => g.apply('div', term, b));
      if (isNeg(g, a)) return g.apply('neg', g.apply('div', negated(g, a), b));
      break;
    case 'neg': {
      const inner = g.node(a);
      if (inner.tag === 'op' && inner.op === 'neg') return inner.args[0] as NodeId;
      if (inner.tag === 'op' && inner.op === 'sub') return g.apply('sub', inner.args[1] as NodeId, inner.args[0] as NodeId);
      if (whereWithZero(g, a) !== undefined) {
        const [cond, t, f] = (inner as { args: readonly NodeId[] }).args as [NodeId, NodeId, NodeId];
        return g.apply('where', cond, g.apply('neg', t), g.apply('neg', f));
      }
      break;
    }
    case 'pow':
      if (cb === 1) return a;
      if (cb === 0) return g.constant(1);
      break;
    case 'where':
      if (ca !== undefined) return ca !== 0 ? b : (args[2] as NodeId);
      if (b === args[2]) return b;
      break;
    case 'transpose': {
      const inner = g.node(a);
      if (inner.tag === 'op' && inner.op === 'transpose') return inner.args[0] as NodeId;
      break;
    }
    case 'sum':
      // The adjoint of a reduction is a broadcast scalar; summing it back is K times the scalar.
      if (isScalar(g.shape(a))) return g.apply('mul', g.constant(g.classes), a);
      break;
  }
  return undefined;
}

/** (c ? a : b) op (c ? d : e) = c ? a op d : b op e, when both conditionals test the same c. */
function mergeConditionals(g: Graph, op: 'add' | 'sub', x: NodeId, y: NodeId): NodeId | undefined {
  const nx = g.node(x);
  const ny = g.node(y);
  if (nx.tag !== 'op' || nx.op !== 'where' || ny.tag !== 'op' || ny.op !== 'where' || nx.args[0] !== ny.args[0]) return undefined;
  const [c, a, b] = nx.args as [NodeId, NodeId, NodeId];
  const [, d, e] = ny.args as [NodeId, NodeId, NodeId];
  return g.apply('where', c, g.apply(op, a, d), g.apply(op, b, e));
}

/**
 * A sum, difference or negation of conditionals with a zero branch (`c ? a : 0`): zero wherever
 * none of their branches is taken. Derivatives of conditionals accumulate these at shared nodes.
 */
function maskedSum(g: Graph, id: NodeId, depth = 0): boolean {
  const n = g.node(id);
  if (n.tag !== 'op' || depth > 8) return false;
  if (n.op === 'neg') return maskedSum(g, n.args[0] as NodeId, depth + 1) || whereWithZero(g, n.args[0] as NodeId) !== undefined;
  if (n.op !== 'add' && n.op !== 'sub') return false;
  const term = (x: NodeId): boolean => whereWithZero(g, x) !== undefined || maskedSum(g, x, depth + 1);
  return term(n.args[0] as NodeId) && term(n.args[1] as NodeId);
}

/** `f` applied to each term of a masked sum, the sum rebuilt: f(m1 ± m2) = f(m1) ± f(m2) for linear f. */
function distribute(g: Graph, id: NodeId, f: (term: NodeId) => NodeId): NodeId {
  const n = g.node(id);
  if (n.tag === 'op' && n.op === 'neg') return g.apply('neg', distribute(g, n.args[0] as NodeId, f));
  if (n.tag === 'op' && (n.op === 'add' || n.op === 'sub')) {
    return g.apply(n.op, distribute(g, n.args[0] as NodeId, f), distribute(g, n.args[1] as NodeId, f));
  }
  return f(id);
}

/** `id` if it is `c ? a : b` with a or b the constant 0. */
function whereWithZero(g: Graph, id: NodeId): NodeId | undefined {
  const n = g.node(id);
  if (n.tag !== 'op' || n.op !== 'where') return undefined;
  return g.isConst(n.args[1] as NodeId, 0) || g.isConst(n.args[2] as NodeId, 0) ? id : undefined;
}

function isNeg(g: Graph, id: NodeId): boolean {
  const n = g.node(id);
  return n.tag === 'op' && n.op === 'neg';
}

function negated(g: Graph, id: NodeId): NodeId {
  const n = g.node(id);
  if (n.tag === 'op' && n.op === 'neg') return n.args[0] as NodeId;
  throw new Error('bug: negated() on a node that is not a negation');
}
