/** The checks LossLab runs, in report order, and the loop that runs the ones that apply. */
import type { Executor } from '../engine/executor';
import { resolveParams, type ParamValues, type Resolved } from '../engine/point';
import type { LoweredLoss } from '../lang/lower';
import { boundedCheck } from './bounded';
import { calibrationCheck } from './calibration';
import { consistencyCheck } from './consistency';
import type { Check } from './context';
import { convexityCheck } from './convexity';
import { divergenceCheck } from './divergence';
import { elicitationCheck } from './elicitation';
import { gradientCheck } from './gradient';
import { influenceCheck } from './influence';
import { lipschitzCheck } from './lipschitz';
import { permutationCheck } from './permutation';
import { temperatureCheck } from './temperature';
import { hardNegativesCheck } from './hardNegatives';
import { propernessCheck } from './properness';
import type { CheckReport, CheckResult } from './report';
import { shiftCheck } from './shift';
import { smoothnessCheck } from './smoothness';
import { stabilityCheck } from './stability';
import { symmetryCheck } from './symmetry';

export const CHECKS: readonly Check[] = [
  gradientCheck,
  stabilityCheck,
  // every kind: smoothness, convexity, lipschitz, bounded
  smoothnessCheck,
  convexityCheck,
  lipschitzCheck,
  boundedCheck,
  // margin, probability, regression: calibration, properness, elicitation, influence
  calibrationCheck,
  propernessCheck,
  elicitationCheck,
  influenceCheck,
  // multiclass, distribution: consistency, symmetry, shift, divergence
  consistencyCheck,
  symmetryCheck,
  shiftCheck,
  divergenceCheck,
  // batch: invariance to the order of the batch, the temperature's limits, hard vs easy negatives
  permutationCheck,
  temperatureCheck,
  hardNegativesCheck,
];

export interface CheckRunOptions {
  readonly only?: readonly string[];
  readonly onProgress?: (fraction: number, message: string) => void;
  /** Polled between checks; a cancelled run stops there and returns undefined. */
  readonly isCancelled?: () => boolean;
}

export async function runChecks(
  executor: Executor,
  loss: LoweredLoss,
  params: ParamValues,
  options: CheckRunOptions = {},
): Promise<Resolved<CheckReport> | undefined> {
  const p = resolveParams(loss, params);
  if (!p.ok) return p;
  const unknown = (options.only ?? []).filter((id) => !CHECKS.some((c) => c.id === id));
  if (unknown.length > 0)
    return { ok: false, message: `unknown check ${unknown.map((u) => `'${u}'`).join(', ')}; the checks are ${CHECKS.map((c) => c.id).join(', ')}` };
  const selected = CHECKS.filter((c) => c.applies(loss.info.kind) && (options.only === undefined || options.only.includes(c.id)));
  const results: CheckResult[] = [];
  for (const [i, check] of selected.entries()) {
    if (options.isCancelled?.()) return undefined;
    options.onProgress?.(i / selected.length, `${check.title}…`);
    results.push(await check.run({ loss, params: p.value, executor }));
    // Yield so that a cancel message can arrive between checks.
    await new Promise((r) => setImmediate(r));
  }
  options.onProgress?.(1, 'done');
  return { ok: true, value: { loss: loss.info.name, kind: loss.info.kind, params: p.value, checks: results } };
}
