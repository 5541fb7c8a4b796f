/**
 * The forms a float32 executor computes instead of the ones that cancel. float64 (the reference)
 * computes the graph as written; the fused kernels, TensorFlow.js and WGSL read the program
 * through `stableForFloat32`, which replaces
 *   logsumexp(v) - c      by  logsumexp(v - c)      for a scalar c: when c is an entry of v (the
 *                                                      true class's logit s[y] of cross-entropy, or
 *                                                      CosFace's scaled margin logit), that entry
 *                                                      becomes exactly 0 and, when it is the largest,
 *                                                      the result is log1p of the others'
 *                                                      exponentials, where subtracting two numbers
 *                                                      near max(v) kept only the rounding of
 *                                                      log-sum-exp (a relative error of 2e-3 at
 *                                                      s = (10, 0, 0))
 *   c - logsumexp(v)      by  -logsumexp(v - c)
 *   log(1 + x)            by  log1p(x)
 *   exp(x) - 1            by  expm1(x)
 * Each is an identity, so values agree with float64; the test compares them at extreme inputs.
 */
import { Graph, type NodeId } from './graph';
import { lowerToProgram, type Program } from './program';

type Op = { readonly op: string; readonly args: readonly NodeId[] } | undefined;

function opOf(g: Graph, id: NodeId): Op {
  const n = g.node(id);
  return n.tag === 'op' ? n : undefined;
}

/** logsumexp(v) - c as logsumexp(v - c), for `lse` a logsumexp and `c` a scalar. */
function shiftedLogSumExp(g: Graph, lse: NodeId, c: NodeId): NodeId | undefined {
  const l = opOf(g, lse);
  if (l?.op !== 'logsumexp' || g.shape(c).length !== 0) return undefined;
  return g.apply('logsumexp', g.apply('sub', l.args[0] as NodeId, g.apply('expand', c)));
}

function stableForm(g: Graph, op: string, args: readonly NodeId[]): NodeId | undefined {
  const [a, b] = args as [NodeId, NodeId];
  if (op === 'sub') {
    const forward = shiftedLogSumExp(g, a, b);
    if (forward !== undefined) return forward;
    const backward = shiftedLogSumExp(g, b, a);
    if (backward !== undefined) return g.apply('neg', backward);
    if (opOf(g, a)?.op === 'exp' && g.isConst(b, 1)) return g.apply('expm1', (opOf(g, a) as { args: readonly NodeId[] }).args[0] as NodeId);
  }
  if (op === 'log') {
    const sum = opOf(g, a);
    if (sum?.op === 'add') {
      const [x, y] = sum.args as [NodeId, NodeId];
      if (g.isConst(x, 1)) return g.apply('log1p', y);
      if (g.isConst(y, 1)) return g.apply('log1p', x);
    }
  }
  return undefined;
}

/** Whether any instruction is the outer op of a form above: most programs have none, and are returned as they are. */
function mayCancel(program: Program): boolean {
  const opAt = (i: number): string | undefined => {
    const n = program.instructions[i];
    return n?.tag === 'op' ? n.op : undefined;
  };
  return program.instructions.some(
    (n) =>
      n.tag === 'op' &&
      ((n.op === 'sub' && n.args.some((a) => opAt(a) === 'logsumexp' || opAt(a) === 'exp')) || (n.op === 'log' && opAt(n.args[0] as number) === 'add')),
  );
}

export function stableForFloat32(program: Program): Program {
  if (!mayCancel(program)) return program;
  const g = new Graph(program.classes);
  const ids: NodeId[] = [];
  let changed = false;
  program.instructions.forEach((n) => {
    if (n.tag === 'const') ids.push(g.constant(n.value));
    else if (n.tag === 'leaf') ids.push(g.leaf(n.name, n.role, n.shape));
    else {
      const args = n.args.map((a) => ids[a] as NodeId);
      const stable = stableForm(g, n.op, args);
      if (stable !== undefined) changed = true;
      ids.push(stable ?? g.rebuild(n, args));
    }
  });
  return changed
    ? lowerToProgram(
        g,
        program.outputs.map((o) => ids[o] as NodeId),
      )
    : program;
}
