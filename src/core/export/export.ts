/**
 * From a lowered loss to code a researcher would write by hand: PyTorch, JAX, TensorFlow,
 * NumPy or LaTeX. Generators read LossLab's IR, never the .loss text; known unstable patterns
 * are rewritten first (stabilize.ts), so every target computes what LossLab's float64 reference
 * computes on the same graph. Pure: the check verdicts in the header are passed in as data.
 */
import type { Resolved } from '../engine/point';
import type { LoweredLoss } from '../lang/lower';
import { planExport, type ExportPlan, type ExportRequest, type ExportTarget } from './exportPlan';
import { exportLatex } from './latex';
import { exportJax } from './jax';
import { exportNumpy } from './numpy';
import { exportPytorch } from './pytorch';
import { exportTensorflow } from './tensorflow';

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
