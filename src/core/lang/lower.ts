/**
 * Lowers a checked loss to the IR: arguments become input leaves, params become param leaves
 * (so a slider binds a new value without recompiling), helpers are inlined at each call, and
 * shapes are checked: vectors only where a vector belongs, and a scalar loss at the end.
 */
import { Graph, type NodeId } from '../ir/graph';
import type { OpName } from '../ir/ops';
import { BUILTINS, CONSTANTS } from './builtins';
import type { LossInfo, CheckedFile } from './check';
import { errorAt, type LossDiagnostic } from './diagnostics';
import type { BinaryOp, Expr } from './expression';
import { isVectorRole, type InputSpec } from './kinds';
import type { Definition, ParamDecl } from './parse';

export interface LoweredLoss {
  readonly info: LossInfo;
  readonly graph: Graph;
  readonly value: NodeId;
  readonly inputs: readonly { readonly spec: InputSpec; readonly leaf: NodeId }[];
  readonly params: readonly { readonly decl: ParamDecl; readonly leaf: NodeId }[];
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

export function lowerLoss(file: CheckedFile, info: LossInfo): LowerResult {
  const graph = new Graph(info.classes);
  const inputs = info.inputs.map((spec) => ({ spec, leaf: graph.leaf(spec.name, 'input', isVectorRole(spec.role) ? 'vector' : 'scalar') }));
  const params = info.params.map((decl) => ({ decl, leaf: graph.leaf(decl.name, 'param', 'scalar') }));
  const paramLeaf = new Map(params.map((p) => [p.decl.name, p.leaf]));

  // `scope`: the definitions the calls of `e` name (a used library loss calls its own file's).
  const lowerExpr = (e: Expr, env: ReadonlyMap<string, NodeId>, scope: ReadonlyMap<string, Definition>): NodeId => {
    const fail = (message: string, range = e.range): never => {
      throw new ShapeError(errorAt(range, 'shape', message));
    };
    switch (e.tag) {
      case 'number':
        return graph.constant(e.value);
      case 'name': {
        const bound = env.get(e.name) ?? paramLeaf.get(e.name);
        if (bound !== undefined) return bound;
        if (Object.hasOwn(CONSTANTS, e.name)) return graph.constant(CONSTANTS[e.name] as number);
        throw new Error(`bug: unresolved name '${e.name}' survived checking`);
      }
      case 'unary':
        return graph.apply(e.op, lowerExpr(e.arg, env, scope));
      case 'binary': {
        const a = lowerExpr(e.left, env, scope);
        const b = lowerExpr(e.right, env, scope);
        const vectors = graph.shape(a) === 'vector' && graph.shape(b) === 'vector';
        switch (e.op) {
          case 'mul':
            if (vectors) fail('`*` between two vectors is ambiguous: use `.*` for the element-wise product, or dot(a, b)');
            return graph.apply('mul', a, b);
          case 'div':
            if (vectors) fail('`/` between two vectors is ambiguous: use `./` for element-wise division');
            return graph.apply('div', a, b);
          case 'pow':
            if (graph.shape(a) === 'vector') fail('`^` of a vector is a matrix power in mathjs: use `.^` for the element-wise power');
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
        if (graph.shape(v) !== 'vector') fail('only a vector (such as the logits s) can be indexed', e.vector.range);
        if (graph.shape(i) !== 'scalar') fail('an index must be a single class, not a vector', e.index.range);
        const c = graph.constValue(i);
        if (c !== undefined && (!Number.isInteger(c) || c < 1 || c > graph.classes)) {
          fail(`index ${c} is outside 1..${graph.classes} (indices are 1-based; set the number of classes with @classes)`, e.index.range);
        }
        // s[y] = <s, e_y>: its derivative with respect to s is e_y, with no gather kernel needed.
        return graph.apply('sum', graph.apply('mul', v, graph.apply('onehot', i)));
      }
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
          if (!r.ok) fail(r.message, e.nameRange);
          return (r as { node: NodeId }).node;
        }
        const helper = scope.get(e.name);
        if (!helper) throw new Error(`bug: unresolved function '${e.name}' survived checking`);
        const helperScope = helper.scope ?? scope;
        return lowerExpr(helper.body, withLocals(helper, new Map(helper.args.map((a, k) => [a, args[k] as NodeId])), helperScope), helperScope);
      }
    }
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
    if (graph.shape(value) !== 'scalar') {
      return {
        ok: false,
        diagnostics: [
          errorAt(
            info.definition.body.range,
            'shape',
            `'${info.name}' must be a number, but it is a vector: reduce it, e.g. with sum(...) or a component s[y]`,
          ),
        ],
      };
    }
    return { ok: true, loss: { info, graph, value, inputs, params } };
  } catch (e) {
    if (e instanceof ShapeError) return { ok: false, diagnostics: [e.diagnostic] };
    throw e;
  }
}
