/**
 * From a lowered loss to code a researcher would write by hand: PyTorch, JAX, TensorFlow,
 * NumPy or LaTeX. Generators read LossLab's IR, never the .loss text; known unstable patterns
 * are rewritten first (stabilize.ts), so every target computes what LossLab's float64 reference
 * computes on the same graph. Pure: the check verdicts in the header are passed in as data.
 */
import type { Rewrite } from '../checks/rewrites';
import type { Verdict } from '../checks/report';
import type { NodeId } from '../ir/graph';
import { resolveParams, type ParamValues, type Resolved } from '../engine/point';
import type { LoweredLoss } from '../lang/lower';
import { exportLatex } from './latex';
import { exportJax } from './jax';
import { exportNumpy } from './numpy';
import { exportPytorch } from './pytorch';
import { stabilize } from './stabilize';
import { exportTensorflow } from './tensorflow';

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

const GENERATORS: Readonly<Record<ExportTarget, (plan: ExportPlan) => string>> = {
  pytorch: exportPytorch,
  jax: exportJax,
  tensorflow: exportTensorflow,
  numpy: exportNumpy,
  latex: exportLatex,
};

/** The source text of `loss` in `request.target`, ending with a newline. */
export function exportLoss(loss: LoweredLoss, request: ExportRequest): Resolved<string> {
  const plan = planExport(loss, request);
  if (!plan.ok) return plan;
  return { ok: true, value: GENERATORS[request.target](plan.value) };
}
