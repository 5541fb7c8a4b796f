/**
 * The neighbourhood of trained parameters θ*: the Hessian's top eigenvalues and trace (a
 * sharpness measure), the 2-D and 1-D slices along filter-normalised random directions, and the
 * linear path from the initial parameters, all on the training objective.
 */
import { hessianVectorProduct } from './hessianVector';
import { hutchinsonTrace, topEigenvalues } from './hessian';
import { filterNormalizedDirection, linearPath, lineSlice, linspace, surfaceSlice } from './landscape';
import type { ExperimentHessian, ExperimentLandscape } from './report';
import type { EmpiricalRisk } from './risk';

export interface MinimumOptions {
  readonly resolution: number;
  readonly span: number;
  readonly directions: () => number;
  readonly probes: () => number;
  readonly isCancelled?: () => boolean;
}

/** Points of the 1-D slice and of the linear path. */
const LINE_POINTS = 101;
const PATH_POINTS = 41;

export async function hessianAt(risk: EmpiricalRisk, theta: Float64Array, options: MinimumOptions): Promise<ExperimentHessian | undefined> {
  const hvp = (v: Float64Array) => hessianVectorProduct(risk, theta, v);
  const cancel = options.isCancelled ? { isCancelled: options.isCancelled } : {};
  const top = await topEigenvalues(hvp, theta.length, options.probes, { top: 3, ...cancel });
  if (!top) return undefined;
  const trace = await hutchinsonTrace(hvp, theta.length, options.probes, cancel);
  if (!trace) return undefined;
  return { top_eigenvalues: top.eigenvalues, trace: trace.trace, trace_stderr: trace.standardError, trace_samples: trace.samples };
}

export async function landscapeAt(
  risk: EmpiricalRisk,
  initial: Float64Array,
  theta: Float64Array,
  options: MinimumOptions,
): Promise<ExperimentLandscape | undefined> {
  const d1 = filterNormalizedDirection(risk.shape, theta, options.directions);
  const d2 = filterNormalizedDirection(risk.shape, theta, options.directions);
  const axis = linspace(-options.span, options.span, options.resolution);
  const values = await surfaceSlice(risk, theta, d1, d2, axis, axis, options.isCancelled);
  if (!values) return undefined;
  const lineAlphas = linspace(-options.span, options.span, LINE_POINTS);
  const t = linspace(0, 1, PATH_POINTS);
  return {
    alphas: axis,
    betas: axis,
    values,
    line: { alphas: lineAlphas, values: await lineSlice(risk, theta, d1, lineAlphas) },
    path: { t, values: await linearPath(risk, initial, theta, t) },
  };
}
