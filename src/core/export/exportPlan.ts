/**
 * What an export is asked for and the plan every generator reads: the targets and reductions,
 * the provenance for the header, and the loss with its unstable patterns rewritten
 * (stabilize.ts) and its params resolved. The generators import this module and `export.ts`
 * imports the generators, so the plan lives apart from both.
 */
import type { Rewrite } from '../checks/rewrites';
import type { Verdict } from '../checks/report';
import type { NodeId } from '../ir/graph';
import { resolveParams, type ParamValues, type Resolved } from '../engine/point';
import type { LoweredLoss } from '../lang/lower';
import { stabilize } from './stabilize';

export const EXPORT_TARGETS = ['pytorch', 'jax', 'tensorflow', 'numpy', 'latex'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export const REDUCTIONS = ['mean', 'sum', 'none'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

export function isExportTarget(text: string): text is ExportTarget {
  return (EXPORT_TARGETS as readonly string[]).includes(text);
}

export function isReduction(text: string): text is Reduction {
  return (REDUCTIONS as readonly string[]).includes(text);
}

export interface CheckVerdict {
  readonly id: string;
  readonly verdict: Verdict;
  readonly summary: string;
}

/** Where the loss came from and what LossLab found, for the export's header comment. */
export interface Provenance {
  readonly file?: string;
  /** The lines of the .loss file that define the loss: its params, helpers and definition. */
  readonly source?: readonly string[];
  readonly checks?: { readonly backend: string; readonly results: readonly CheckVerdict[] };
}

export interface ExportRequest {
  readonly target: ExportTarget;
  /** The default of the exported function's `reduction` argument; 'mean' when absent. */
  readonly reduction?: Reduction;
  /** Overrides of the params' defaults in the exported signature. */
  readonly params?: ParamValues;
  readonly provenance?: Provenance;
}

/** Everything a generator needs, decided once. */
export interface ExportPlan {
  readonly loss: LoweredLoss;
  /** The value node to print: the loss with its unstable patterns rewritten. */
  readonly value: NodeId;
  readonly rewrites: readonly Rewrite[];
  readonly params: Readonly<Record<string, number>>;
  readonly reduction: Reduction;
  readonly provenance: Provenance;
}

export function planExport(loss: LoweredLoss, request: Omit<ExportRequest, 'target'>): Resolved<ExportPlan> {
  const params = resolveParams(loss, request.params ?? {});
  if (!params.ok) return params;
  const stable = stabilize(loss.graph, loss.value);
  return {
    ok: true,
    value: {
      loss,
      value: stable.value,
      rewrites: stable.applied,
      params: params.value,
      reduction: request.reduction ?? 'mean',
      provenance: request.provenance ?? {},
    },
  };
}
