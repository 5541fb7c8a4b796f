/**
 * Lowers a checked loss to the IR: arguments become input leaves, params become param leaves
 * (so a slider binds a new value without recompiling), helpers are inlined at each call, and
 * shapes are checked: NumPy's broadcasting, matrix products, axes, and a scalar loss at the end.
 *
 * A loss over tensors is lowered twice: first with a distinct size for each name, so that a
 * shape error cannot hide behind two sizes that happen to be equal (B = D = 8) and its message
 * names the sizes ([B, D] and [D, B]); then with the sizes asked for.
 */
import { Graph, type NodeId } from '../ir/graph';
import type { OpName } from '../ir/ops';
import { isScalar, SCALAR, ShapeMismatch, showShape, type Shape, type SizeNames } from '../ir/shape';
import { BUILTINS, CONSTANTS } from './builtins';
import type { LossInfo, CheckedFile } from './check';
import { errorAt, type LossDiagnostic } from './diagnostics';
import type { BinaryOp, Expr } from './expression';
import { isTensorRole, isVectorRole, type InputSpec } from './kinds';
import type { Definition, ParamDecl } from './parse';
import { operatorSymbol } from './print';
import { gatherLast, matrixProduct } from './tensorLowering';
import { MAX_SIZE, type Dim } from './tensorDecls';

export interface LoweredLoss {
  readonly info: LossInfo;
  /** The value of each named size in this graph, K included. */
  readonly sizes: ReadonlyMap<string, number>;
  readonly graph: Graph;
  readonly value: NodeId;
  readonly inputs: readonly { readonly spec: InputSpec; readonly leaf: NodeId }[];
  readonly params: readonly { readonly decl: ParamDecl; readonly leaf: NodeId }[];
  /** The definition's own `where` names and their nodes, in order: what the panel's batch views read (S in InfoNCE). */
  readonly locals?: ReadonlyMap<string, NodeId>;
  /** The same loss lowered at other sizes (undefined where it does not lower there): the export's probe for code that reads its sizes from its inputs. */
  readonly atSizes?: (sizes: Readonly<Record<string, number>>) => LoweredLoss | undefined;
}

export type LowerResult = { ok: true; loss: LoweredLoss } | { ok: false; diagnostics: LossDiagnostic[] };

const ELEMENTWISE: Readonly<Partial<Record<BinaryOp, OpName>>> = {
  add: 'add',
  sub: 'sub',
  emul: 'mul',
  ediv: 'div',
  epow: 'pow',
  lt: 'lt',
  le: 'le',
  gt: 'gt',
  ge: 'ge',
  eq: 'eq',
  ne: 'ne',
  and: 'and',
  or: 'or',
};

class ShapeError extends Error {
  constructor(readonly diagnostic: LossDiagnostic) {
    super(diagnostic.message);
  }
}

export interface LowerOptions {
  /** Sizes other than the declared defaults (`--size B=64`, the panel). */
  readonly sizes?: Readonly<Record<string, number>>;
}

/** Each size's value: the declared default or the one asked for; K is the number of classes. */
export function resolveSizes(info: LossInfo, asked: Readonly<Record<string, number>> = {}): Map<string, number> {
  const sizes = new Map<string, number>([['K', info.classes]]);
  for (const d of info.sizes) sizes.set(d.name, Object.hasOwn(asked, d.name) ? (asked[d.name] as number) : d.value);
  return sizes;
}

export function lowerLoss(file: CheckedFile, info: LossInfo, options: LowerOptions = {}): LowerResult {
  for (const [name, v] of Object.entries(options.sizes ?? {})) {
    const declared = info.sizes.map((d) => d.name);
    const problem = !declared.includes(name)
      ? `'${info.name}' has no size '${name}'${declared.length > 0 ? `; its file declares ${declared.join(', ')}` : ''}`
      : !(Number.isInteger(v) && v >= 1 && v <= MAX_SIZE)
        ? `size ${name} must be a whole number from 1 to ${MAX_SIZE}, not ${v}`
        : undefined;
    if (problem !== undefined) return { ok: false, diagnostics: [errorAt(info.definition.nameRange, 'bad-size', problem)] };
  }
  const sizes = resolveSizes(info, options.sizes);
  if (info.inputs.some((i) => isTensorRole(i.role))) {
    const probe = probeSizes(info, sizes);
    const probed = lowerWithSizes(file, info, probe, new Map([...probe].map(([name, v]) => [v, name])));
    if (!probed.ok) return probed;
  }
  // A number names a size in messages only where no other size has that value.
  const count = new Map<number, number>();
  for (const v of sizes.values()) count.set(v, (count.get(v) ?? 0) + 1);
  const byValue = new Map([...sizes].filter(([, v]) => count.get(v) === 1).map(([name, v]) => [v, name]));
  const lowered = lowerWithSizes(file, info, sizes, byValue);
  if (!lowered.ok) return lowered;
  const atSizes = (asked: Readonly<Record<string, number>>): LoweredLoss | undefined => {
    const other = lowerLoss(file, info, { sizes: asked });
    return other.ok ? other.loss : undefined;
  };
  return { ok: true, loss: { ...lowered.loss, atSizes } };
}

/**
 * A distinct size of at least 2 for every name, none equal to a number written as a dimension,
 * and none below the size asked for: a slice x[1:5] or topk(x, 5) that fits the real sizes fits
 * the probe too, so the probe reports only what is wrong at every size.
 */
function probeSizes(info: LossInfo, asked: ReadonlyMap<string, number>): Map<string, number> {
  const written = new Set(info.inputs.flatMap((i) => (i.dims ?? []).filter((d): d is number => typeof d === 'number')));
  const probe = new Map<string, number>();
  const taken = new Set<number>();
  for (const name of ['K', ...info.sizes.map((d) => d.name)]) {
    let next = Math.max(2, asked.get(name) ?? 2);
    while (written.has(next) || taken.has(next)) next++;
    probe.set(name, next);
    taken.add(next);
  }
  return probe;
}

function lowerWithSizes(file: CheckedFile, info: LossInfo, sizes: ReadonlyMap<string, number>, names: SizeNames): LowerResult {
  const graph = new Graph(sizes.get('K') ?? info.classes);
  const dimsOf = (dims: readonly Dim[]): Shape => dims.map((d) => (typeof d === 'number' ? d : (sizes.get(d) as number)));
  const inputShape = (spec: InputSpec): Shape => (spec.dims !== undefined ? dimsOf(spec.dims) : isVectorRole(spec.role) ? graph.vector : SCALAR);
  const inputs = info.inputs.map((spec) => ({ spec, leaf: graph.leaf(spec.name, 'input', inputShape(spec)) }));
  const params = info.params.map((decl) => ({ decl, leaf: graph.leaf(decl.name, 'param', SCALAR) }));
  const paramLeaf = new Map(params.map((p) => [p.decl.name, p.leaf]));

  // `scope`: the definitions the calls of `e` name (a used library loss calls its own file's).
  const lowerExpr = (e: Expr, env: ReadonlyMap<string, NodeId>, scope: ReadonlyMap<string, Definition>): NodeId => {
    const fail = (message: string, range = e.range): never => {
      throw new ShapeError(errorAt(range, 'shape', message));
    };
    try {
      return lowerNode(e, env, scope, fail);
    } catch (err) {
      if (err instanceof ShapeMismatch) {
        const what = e.tag === 'binary' ? `\`${operatorSymbol(e.op)}\`` : e.tag === 'call' ? `${e.name}(...)` : 'an element-wise operation';
        return fail(err.describe(names).replace(/^an element-wise operation/, what));
      }
      throw err;
    }
  };

  const lowerNode = (
    e: Expr,
    env: ReadonlyMap<string, NodeId>,
    scope: ReadonlyMap<string, Definition>,
    fail: (message: string, range?: Expr['range']) => never,
  ): NodeId => {
    const shapeOf = (id: NodeId): string => showShape(graph.shape(id), names);
    switch (e.tag) {
      case 'number':
        return graph.constant(e.value);
      case 'name': {
        const bound = env.get(e.name) ?? paramLeaf.get(e.name);
        if (bound !== undefined) return bound;
        if (Object.hasOwn(CONSTANTS, e.name)) return graph.constant(CONSTANTS[e.name] as number);
        const size = sizes.get(e.name);
        if (size !== undefined) return graph.constant(size);
        throw new Error(`bug: unresolved name '${e.name}' survived checking`);
      }
      case 'unary':
        return graph.apply(e.op, lowerExpr(e.arg, env, scope));
      case 'binary': {
        const a = lowerExpr(e.left, env, scope);
        const b = lowerExpr(e.right, env, scope);
        const tensors = !isScalar(graph.shape(a)) && !isScalar(graph.shape(b));
        switch (e.op) {
          case 'mul': {
            if (!tensors) return graph.apply('mul', a, b);
            const product = matrixProduct(graph, a, b);
            return product.ok ? product.node : fail(product.message);
          }
          case 'div':
            if (tensors) fail(`\`/\` between ${shapeOf(a)} and ${shapeOf(b)} is a matrix division in mathjs: use \`./\` for element-wise division`);
            return graph.apply('div', a, b);
          case 'pow':
            if (!isScalar(graph.shape(a))) fail('`^` of a vector is a matrix power in mathjs: use `.^` for the element-wise power');
            return graph.apply('pow', a, b);
          default:
            return graph.apply(ELEMENTWISE[e.op] as OpName, a, b);
        }
      }
      case 'conditional':
        return graph.apply('where', lowerExpr(e.condition, env, scope), lowerExpr(e.whenTrue, env, scope), lowerExpr(e.whenFalse, env, scope));
      case 'index': {
        const v = lowerExpr(e.vector, env, scope);
        const i = lowerExpr(e.index, env, scope);
        const sv = graph.shape(v);
        if (isScalar(sv)) fail('only a vector or tensor (such as the logits s) can be indexed', e.vector.range);
        const n = sv[sv.length - 1] as number;
        const c = graph.constValue(i);
        if (c !== undefined && (!Number.isInteger(c) || c < 1 || c > n)) {
          fail(
            `index ${c} is outside 1..${n} (indices are 1-based${sv.length === 1 && n === graph.classes ? '; set the number of classes with @classes' : ''})`,
            e.index.range,
          );
        }
        if (sv.length === 1 && n === graph.classes) {
          if (!isScalar(graph.shape(i))) fail('an index must be a single class, not a vector', e.index.range);
          // s[y] = <s, e_y>: its derivative with respect to s is e_y, with no gather kernel needed.
          return graph.apply('sum', graph.apply('mul', v, graph.apply('onehot', i)));
        }
        const picked = gatherLast(graph, v, i);
        return picked.ok ? picked.node : fail(picked.message, e.index.range);
      }
      case 'slice':
        return lowerSlice(e, env, scope, fail);
      case 'call': {
        if (e.name === 'sum_over') {
          // Unrolled: the expression once per value of the index, as a constant (checked: whole bounds, at most 1000 terms).
          const [k, from, to, term] = e.args as [Expr & { tag: 'name' }, Expr & { tag: 'number' }, Expr & { tag: 'number' }, Expr];
          let total: NodeId = graph.constant(0);
          for (let i = from.value; i <= to.value; i++)
            total = graph.apply('add', total, lowerExpr(term, new Map([...env, [k.name, graph.constant(i)]]), scope));
          return total;
        }
        const args = e.args.map((a) => lowerExpr(a, env, scope));
        const builtin = Object.hasOwn(BUILTINS, e.name) ? BUILTINS[e.name] : undefined;
        if (builtin) {
          const r = builtin.lower(graph, args);
          if (!r.ok) fail(r.message, r.arg !== undefined ? (e.args[r.arg]?.range ?? e.nameRange) : e.nameRange);
          return (r as { node: NodeId }).node;
        }
        const helper = scope.get(e.name);
        if (!helper) throw new Error(`bug: unresolved function '${e.name}' survived checking`);
        const helperScope = helper.scope ?? scope;
        return lowerExpr(helper.body, withLocals(helper, new Map(helper.args.map((a, k) => [a, args[k] as NodeId])), helperScope), helperScope);
      }
    }
  };

  /**
   * x[a:b] along the last axis, or x[d1, ..., dn] with one dimension per axis: a range a:b keeps
   * entries a..b (1-based, both included), an entry i keeps entry i and drops its axis. The
   * bounds are whole numbers when the loss compiles: numbers, sizes and `end` (the axis's length).
   */
  const lowerSlice = (
    e: Expr & { tag: 'slice' },
    env: ReadonlyMap<string, NodeId>,
    scope: ReadonlyMap<string, Definition>,
    fail: (message: string, range?: Expr['range']) => never,
  ): NodeId => {
    const x = lowerExpr(e.vector, env, scope);
    const shape = graph.shape(x);
    if (isScalar(shape)) fail('only a vector or tensor can be sliced', e.vector.range);
    if (e.dims.length !== 1 && e.dims.length !== shape.length)
      fail(`x[...] of ${showShape(shape, names)} takes one range (along the last axis) or ${shape.length}, one per axis; got ${e.dims.length}`);
    let out = x;
    const dropped: number[] = [];
    e.dims.forEach((d, k) => {
      const axis = e.dims.length === 1 ? shape.length - 1 : k;
      const n = shape[axis] as number;
      const length = names.get(n) ?? String(n);
      const inner = new Map([...env, ['end', graph.constant(n)]]);
      const bound = (b: Expr): number => {
        const v = graph.constValue(lowerExpr(b, inner, scope));
        if (v === undefined || !Number.isInteger(v))
          fail(
            'the bounds of a slice are whole numbers known before anything runs: numbers, sizes, `end` (the length of the axis) and arithmetic of them',
            b.range,
          );
        return v as number;
      };
      if (d.kind === 'at') {
        const i = bound(d.index);
        if (i < 1 || i > n) fail(`index ${i} is outside 1..${length}, axis ${axis + 1} of ${showShape(shape, names)} (indices are 1-based)`, d.range);
        out = graph.applyWith('slice_axis', { axis, start: i - 1, length: 1 }, out);
        dropped.push(axis);
        return;
      }
      const [a, b] = [bound(d.start), bound(d.end)];
      if (a < 1 || b > n || a > b)
        fail(
          `${a}:${b} is not a range of axis ${axis + 1} of ${showShape(shape, names)}: a:b keeps entries a to b, both included, with 1 <= a <= b <= ${length}`,
          d.range,
        );
      out = graph.applyWith('slice_axis', { axis, start: a - 1, length: b - a + 1 }, out);
    });
    if (dropped.length === 0) return out;
    return graph.applyWith('reshape', { shape: graph.shape(out).filter((_, i) => !dropped.includes(i)) }, out);
  };

  // Each `where` name is lowered once, in order, and read wherever it is named: one IR node.
  const withLocals = (def: Definition, env: Map<string, NodeId>, scope: ReadonlyMap<string, Definition>): Map<string, NodeId> => {
    for (const local of def.locals) env.set(local.name, lowerExpr(local.body, env, scope));
    return env;
  };

  try {
    const scope = info.definition.scope ?? file.definitions;
    const env = withLocals(info.definition, new Map(inputs.map((i) => [i.spec.name, i.leaf])), scope);
    const value = lowerExpr(info.definition.body, env, scope);
    if (!isScalar(graph.shape(value))) {
      return {
        ok: false,
        diagnostics: [
          errorAt(
            info.definition.body.range,
            'shape',
            graph.shape(value).length === 1 && graph.shape(value)[0] === graph.classes
              ? `'${info.name}' must be a number, but it is a vector: reduce it, e.g. with sum(...) or a component s[y]`
              : `'${info.name}' must be a number, but it is ${showShape(graph.shape(value), names)}: reduce it, e.g. with mean(...) or sum(...)`,
          ),
        ],
      };
    }
    const locals = new Map(info.definition.locals.map((l) => [l.name, env.get(l.name) as NodeId]));
    return { ok: true, loss: { info, sizes, graph, value, inputs, params, locals } };
  } catch (e) {
    if (e instanceof ShapeError) return { ok: false, diagnostics: [e.diagnostic] };
    throw e;
  }
}
