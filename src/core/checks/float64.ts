/**
 * Float64 evaluation of a loss and of its derivatives for the checks, which decide verdicts in
 * float64. Programs are compiled once per loss and set of outputs.
 */
import { gradient } from '../ir/autodiff';
import type { NodeId } from '../ir/graph';
import { lowerToProgram, type Program } from '../ir/program';
import { runReference } from '../engine/reference';
import type { LeafValue } from '../ir/bindings';
import { isDifferentiableRole } from '../lang/kinds';
import type { LoweredLoss } from '../lang/lower';

const programs = new WeakMap<LoweredLoss, Map<string, Program>>();

/** Runs `outputs` (nodes of the loss's graph) on a batch, in float64. */
export function evaluate64(
  loss: LoweredLoss,
  outputs: readonly NodeId[],
  params: Readonly<Record<string, number>>,
  rows: number,
  inputs: Readonly<Record<string, LeafValue>>,
): Float64Array[] {
  let cache = programs.get(loss);
  if (!cache) programs.set(loss, (cache = new Map()));
  const key = outputs.join(',');
  let program = cache.get(key);
  if (!program) cache.set(key, (program = lowerToProgram(loss.graph, outputs)));
  return runReference(program, { rows, values: { ...params, ...inputs } });
}

/** The loss's value, in float64, on a batch. */
export function lossValues64(
  loss: LoweredLoss,
  params: Readonly<Record<string, number>>,
  rows: number,
  inputs: Readonly<Record<string, LeafValue>>,
): Float64Array {
  return evaluate64(loss, [loss.value], params, rows, inputs)[0] as Float64Array;
}

/** The gradient nodes with respect to each differentiable input, in input order. */
export function inputGradients(loss: LoweredLoss): { readonly name: string; readonly node: NodeId }[] {
  const wrt = loss.inputs.filter((i) => isDifferentiableRole(i.spec.role));
  const nodes = gradient(
    loss.graph,
    loss.value,
    wrt.map((i) => i.leaf),
  );
  return wrt.map((i, k) => ({ name: i.spec.name, node: nodes[k] as NodeId }));
}
