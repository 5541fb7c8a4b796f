/** Prints IR nodes as LaTeX, through each op's own printer in `ops.ts`. */
import type { Graph, NodeId } from './graph';
import { OPS, type OpSpec } from './ops';

const GREEK = new Set([
  'alpha',
  'beta',
  'gamma',
  'delta',
  'epsilon',
  'zeta',
  'eta',
  'theta',
  'kappa',
  'lambda',
  'mu',
  'nu',
  'xi',
  'rho',
  'sigma',
  'tau',
  'phi',
  'chi',
  'psi',
  'omega',
]);

export function latexName(name: string): string {
  if (GREEK.has(name)) return `\\${name}`;
  if (name === 'yhat') return '\\hat{y}';
  const m = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  if (m) return `${latexName(m[1] as string)}_{${m[2]}}`;
  return name.length === 1 ? name : `\\mathrm{${name.replace(/_/g, '\\_')}}`;
}

export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (Number.isNaN(v)) return '\\mathrm{NaN}';
  if (!Number.isFinite(v)) return v > 0 ? '\\infty' : '-\\infty';
  const s = String(Number(v.toPrecision(6)));
  const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
  return m ? `${m[1]} \\cdot 10^{${Number(m[2])}}` : s;
}

export function toLatex(g: Graph, id: NodeId): string {
  const memo = new Map<NodeId, { text: string; precedence: number }>();
  const print = (nid: NodeId): { text: string; precedence: number } => {
    const cached = memo.get(nid);
    if (cached) return cached;
    const n = g.node(nid);
    let out: { text: string; precedence: number };
    if (n.tag === 'const') out = { text: formatNumber(n.value), precedence: n.value < 0 ? 25 : 100 };
    else if (n.tag === 'leaf') out = { text: latexName(n.name), precedence: 100 };
    else if (diagonalOf(g, nid) !== undefined)
      out = { text: `\\operatorname{diag}\\left(${print(diagonalOf(g, nid) as NodeId).text}\\right)`, precedence: 100 };
    else if (gatherParts(g, nid) !== undefined) {
      // x[i] of a tensor is lowered as a masked sum along the last axis; print it as the pick it is.
      const [x, i] = gatherParts(g, nid) as [NodeId, NodeId];
      out = { text: `\\left[${print(x).text}\\right]_{${print(i).text}}`, precedence: 100 };
    } else if (isIdentity(g, nid)) out = { text: 'I', precedence: 100 };
    else if (isComponent(g, nid)) {
      // sum(v .* onehot(i)) is how s[i] is lowered; print it as the component it is.
      const [v, i] = componentParts(g, nid);
      out = { text: `${print(v).text}_{${print(i).text}}`, precedence: 100 };
    } else {
      const spec: OpSpec = OPS[n.op];
      const args = n.args.map((a, i) => {
        const p = print(a);
        // Right operands of - and / need brackets at equal precedence; powers bracket their base.
        // a - (b + c) keeps its brackets; a (b c) and a + (b + c) do not need them.
        const nonAssociative = n.op === 'sub' || n.op === 'pow';
        const needs =
          p.precedence < spec.precedence || (p.precedence === spec.precedence && i > 0 && nonAssociative) || (n.op === 'pow' && i === 0 && p.precedence < 100);
        const wrap = needs && !(n.op === 'pow' && i === 1) && !(spec.precedence === 100 && n.op !== 'pow');
        return wrap ? `\\left(${p.text}\\right)` : p.text;
      });
      out = { text: spec.latex(args, n.attrs ?? {}), precedence: spec.precedence };
    }
    memo.set(nid, out);
    return out;
  };
  return print(id).text;
}

function isComponent(g: Graph, id: NodeId): boolean {
  const n = g.node(id);
  if (n.tag !== 'op' || n.op !== 'sum') return false;
  const m = g.node(n.args[0] as NodeId);
  if (m.tag !== 'op' || m.op !== 'mul') return false;
  const [a, b] = m.args.map((x) => g.node(x));
  const isLeaf = (x: typeof a) => x?.tag === 'leaf';
  const isOnehot = (x: typeof a) => x?.tag === 'op' && x.op === 'onehot';
  return (isLeaf(a) && isOnehot(b)) || (isOnehot(a) && isLeaf(b));
}

function componentParts(g: Graph, id: NodeId): [NodeId, NodeId] {
  const n = g.node(id) as { args: readonly NodeId[] };
  const m = g.node(n.args[0] as NodeId) as { args: readonly NodeId[] };
  const [a, b] = m.args as [NodeId, NodeId];
  const onehot = g.node(a).tag === 'op' ? a : b;
  const vector = onehot === a ? b : a;
  return [vector, (g.node(onehot) as { args: readonly NodeId[] }).args[0] as NodeId];
}

const opOf = (g: Graph, id: NodeId) => {
  const n = g.node(id);
  return n.tag === 'op' ? n : undefined;
};

/** reshape(sum_axis(x .* (iota == reshape(i)))), how tensorLowering.ts lowers x[i]: [x, i], or undefined. */
function gatherParts(g: Graph, id: NodeId): [NodeId, NodeId] | undefined {
  const reshape = opOf(g, id);
  const sum = reshape?.op === 'reshape' ? opOf(g, reshape.args[0] as NodeId) : undefined;
  const mul = sum?.op === 'sum_axis' ? opOf(g, sum.args[0] as NodeId) : undefined;
  if (mul?.op !== 'mul') return undefined;
  for (const [x, m] of [mul.args, [...mul.args].reverse()] as [NodeId, NodeId][]) {
    const eq = opOf(g, m);
    const [a, b] = (eq?.op === 'eq' ? eq.args : []) as NodeId[];
    if (a === undefined || b === undefined || isIdentity(g, m)) continue;
    const index = opOf(g, a)?.op === 'iota' ? b : opOf(g, b)?.op === 'iota' ? a : undefined;
    if (index === undefined) continue;
    const inner = opOf(g, index);
    return [x, inner?.op === 'reshape' ? (inner.args[0] as NodeId) : index];
  }
  return undefined;
}

/** iota along 0 == iota along 1 of a square shape: eye(n). */
function isIdentity(g: Graph, id: NodeId): boolean {
  const eq = opOf(g, id);
  if (eq?.op !== 'eq') return false;
  const [a, b] = eq.args.map((x) => opOf(g, x));
  return a?.op === 'iota' && b?.op === 'iota' && a.attrs?.axis !== b.attrs?.axis;
}

/** reshape(sum_axis(S .* eye)): diag(S). */
function diagonalOf(g: Graph, id: NodeId): NodeId | undefined {
  const reshape = opOf(g, id);
  const sum = reshape?.op === 'reshape' ? opOf(g, reshape.args[0] as NodeId) : undefined;
  const mul = sum?.op === 'sum_axis' ? opOf(g, sum.args[0] as NodeId) : undefined;
  if (mul?.op !== 'mul') return undefined;
  const [a, b] = mul.args as [NodeId, NodeId];
  return isIdentity(g, b) ? a : isIdentity(g, a) ? b : undefined;
}
