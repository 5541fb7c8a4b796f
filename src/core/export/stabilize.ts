/**
 * The loss as the exporters write it: every unstable pattern that LossLab's rewrite table knows
 * (checks/rewrites.ts: log(1 + exp(u)) -> softplus(u), log(sigmoid(u)) -> -softplus(-u), ...)
 * replaced by its stable form, so that no export carries a formula the stability check flags.
 * The rewritten nodes are added to the loss's own graph (hash-consed, so existing nodes are
 * unchanged), which lets LossLab's float64 reference run exactly what was exported.
 */
import { findStableRewrites, type Rewrite } from '../checks/rewrites';
import type { Graph, NodeId } from '../ir/graph';
import { substitute } from '../ir/substitute';

export interface StableForm {
  readonly value: NodeId;
  /** The rewrites applied, outermost first, for the export's header. */
  readonly applied: readonly Rewrite[];
}

/** Rewrites until no pattern is left: a rewrite can expose another one inside it. */
export function stabilize(g: Graph, value: NodeId): StableForm {
  const applied: Rewrite[] = [];
  let current = value;
  // Each round removes at least one pattern and adds none, so this ends; the bound is a guard.
  for (let round = 0; round < 16; round++) {
    const rewrites = findStableRewrites(g, current);
    if (rewrites.length === 0) break;
    current = substitute(g, current, new Map(rewrites.map((r) => [r.from, r.to])));
    applied.push(...rewrites);
  }
  return { value: current, applied };
}
