/**
 * An export as the user asks for it: the generated code with a header carrying the loss's source
 * lines and LossLab's check verdicts at the exported defaults. Shared by `losslab export` and the
 * editor's `LossLab: Export Loss…`.
 */
import { runChecks } from '../checks/suite';
import type { Executor } from '../engine/executor';
import type { Resolved } from '../engine/point';
import type { LoweredLoss } from '../lang/lower';
import { exportLoss } from './export';
import type { ExportTarget, Reduction } from './exportPlan';
import { lossSourceLines } from './source';

export interface ExportAsked {
  readonly target: ExportTarget;
  readonly params: Readonly<Record<string, number>>;
  readonly reduction?: Reduction;
  /** The file named in the header. */
  readonly file: string;
}

export async function exportWithVerdicts(executor: Executor, text: string, loss: LoweredLoss, asked: ExportAsked): Promise<Resolved<string>> {
  const checks = await runChecks(executor, loss, asked.params);
  if (checks !== undefined && !checks.ok) return checks;
  const source = lossSourceLines(text, loss.info.name);
  return exportLoss(loss, {
    target: asked.target,
    params: asked.params,
    ...(asked.reduction ? { reduction: asked.reduction } : {}),
    provenance: {
      file: asked.file,
      ...(source ? { source } : {}),
      ...(checks?.ok ? { checks: { backend: executor.backend, results: checks.value.checks } } : {}),
    },
  });
}
