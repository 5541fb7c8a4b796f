/** Prints IR nodes back as .loss expression text, e.g. for suggested rewrites. */
import type { Graph, NodeId } from './graph';

const INFIX: Readonly<Record<string, [string, number]>> = {
  add: ['+', 20],
  sub: ['-', 20],
  mul: ['*', 30],
  div: ['/', 30],
  pow: ['^', 40],
  lt: ['<', 10],
  le: ['<=', 10],
  gt: ['>', 10],
  ge: ['>=', 10],
  eq: ['==', 10],
  ne: ['!=', 10],
  and: ['and', 5],
  or: ['or', 4],
};
const CALL_NAME: Readonly<Record<string, string>> = { max2: 'max', min2: 'min', vmax: 'max', vmin: 'min' };

export function toText(g: Graph, id: NodeId): string {
  const print = (nid: NodeId): [string, number] => {
    const n = g.node(nid);
    if (n.tag === 'const') return [String(n.value), n.value < 0 ? 25 : 100];
    if (n.tag === 'leaf') return [n.name, 100];
    const args = n.args;
    if (n.op === 'sum') {
      const inner = g.node(args[0] as NodeId);
      if (inner.tag === 'op' && inner.op === 'mul') {
        const [a, b] = inner.args as [NodeId, NodeId];
        const hot = [a, b].find((x) => {
          const m = g.node(x);
          return m.tag === 'op' && m.op === 'onehot';
        });
        if (hot !== undefined) {
          const vec = hot === a ? b : a;
          const idx = (g.node(hot) as { args: readonly NodeId[] }).args[0] as NodeId;
          return [`${wrap(print(vec), 100)}[${print(idx)[0]}]`, 100];
        }
      }
    }
    const infix = INFIX[n.op];
    if (infix) {
      const [sym, prec] = infix;
      const left = wrap(print(args[0] as NodeId), n.op === 'pow' ? prec + 1 : prec);
      const right = wrap(print(args[1] as NodeId), n.op === 'pow' ? prec : prec + 1);
      return [`${left} ${sym} ${right}`, prec];
    }
    if (n.op === 'neg') return [`-${wrap(print(args[0] as NodeId), 26)}`, 25];
    if (n.op === 'not') return [`not ${wrap(print(args[0] as NodeId), 26)}`, 25];
    if (n.op === 'where') {
      const [c, a, b] = args.map((x) => wrap(print(x), 11));
      return [`${c} ? ${a} : ${b}`, 3];
    }
    if (n.op === 'expand') return print(args[0] as NodeId);
    if (n.op === 'sort_by' && args[0] === args[1]) return [`sort(${print(args[0] as NodeId)[0]})`, 100];
    // Slices, concat and topk carry their bounds, axis and k as attributes: printed as the language writes them.
    const attrs = n.attrs ?? {};
    const axis = attrs.axis ?? 0;
    if (n.op === 'topk') return [`topk(${print(args[0] as NodeId)[0]}, ${attrs.length ?? 1})`, 100];
    if (n.op === 'concat') return [`concat(${print(args[0] as NodeId)[0]}, ${print(args[1] as NodeId)[0]}, ${axis + 1})`, 100];
    if (n.op === 'slice_axis') {
      const x = args[0] as NodeId;
      const dims = g.shape(x).map((_, i) => (i === axis ? `${(attrs.start ?? 0) + 1}:${(attrs.start ?? 0) + (attrs.length ?? 1)}` : ':'));
      return [`${wrap(print(x), 100)}[${dims.join(', ')}]`, 100];
    }
    return [`${CALL_NAME[n.op] ?? n.op}(${args.map((x) => print(x)[0]).join(', ')})`, 100];
  };
  return print(id)[0];
}

function wrap([text, prec]: [string, number], needed: number): string {
  return prec < needed ? `(${text})` : text;
}
