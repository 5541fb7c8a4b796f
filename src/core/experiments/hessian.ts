/**
 * Sharpness from Hessian-vector products alone, as PyHessian does (Yao, Gholami, Keutzer &
 * Mahoney 2020, "PyHessian: Neural Networks Through the Lens of the Hessian"): the top
 * eigenvalues by power iteration, each new one kept orthogonal to those found (they are the
 * largest in magnitude), and the trace by Hutchinson's estimator E[vᵀ H v] = tr H over
 * Rademacher vectors v (Hutchinson 1989).
 */
import { normal } from '../checks/random';

export type HessianVector = (v: Float64Array) => Promise<Float64Array>;

export interface SpectrumOptions {
  readonly top?: number;
  readonly maxIterations?: number;
  /** Stop when the estimate changes by less than this, relatively. */
  readonly tolerance?: number;
  readonly isCancelled?: () => boolean;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};

function normalize(v: Float64Array): void {
  const n = Math.sqrt(dot(v, v));
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / n;
}

/** v minus its projections on the orthonormal `basis` (twice, for numerical orthogonality). */
function orthogonalize(v: Float64Array, basis: readonly Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (const b of basis) {
      const c = dot(v, b);
      for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) - c * (b[i] as number);
    }
  }
}

export interface TopEigen {
  readonly eigenvalues: number[];
  readonly eigenvectors: Float64Array[];
  /** Hessian-vector products used. */
  readonly products: number;
}

export async function topEigenvalues(hvp: HessianVector, size: number, random: () => number, options: SpectrumOptions = {}): Promise<TopEigen | undefined> {
  const top = Math.min(options.top ?? 3, size);
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-3;
  const eigenvalues: number[] = [];
  const eigenvectors: Float64Array[] = [];
  let products = 0;
  for (let k = 0; k < top; k++) {
    let v: Float64Array = Float64Array.from({ length: size }, () => normal(random));
    orthogonalize(v, eigenvectors);
    normalize(v);
    let eigenvalue: number | undefined;
    for (let it = 0; it < maxIterations; it++) {
      if (options.isCancelled?.()) return undefined;
      orthogonalize(v, eigenvectors);
      normalize(v);
      const hv = await hvp(v);
      products++;
      const estimate = dot(v, hv);
      v = hv;
      const previous = eigenvalue;
      eigenvalue = estimate;
      if (previous !== undefined && Math.abs(estimate - previous) <= tolerance * (Math.abs(previous) + 1e-6)) break;
    }
    orthogonalize(v, eigenvectors);
    normalize(v);
    eigenvalues.push(eigenvalue as number);
    eigenvectors.push(v);
  }
  return { eigenvalues, eigenvectors, products };
}

export interface TraceEstimate {
  readonly trace: number;
  /** Standard error of the mean of the samples vᵀ H v. */
  readonly standardError: number;
  readonly samples: number;
}

/** Hutchinson's estimator, stopped when the running mean settles (after at least `minSamples`). */
export async function hutchinsonTrace(
  hvp: HessianVector,
  size: number,
  random: () => number,
  options: SpectrumOptions & { readonly minSamples?: number } = {},
): Promise<TraceEstimate | undefined> {
  const maxIterations = options.maxIterations ?? 100;
  const minSamples = Math.min(options.minSamples ?? 10, maxIterations);
  const tolerance = options.tolerance ?? 1e-3;
  const samples: number[] = [];
  let sum = 0;
  let previous: number | undefined;
  for (let it = 0; it < maxIterations; it++) {
    if (options.isCancelled?.()) return undefined;
    const v = Float64Array.from({ length: size }, () => (random() < 0.5 ? -1 : 1));
    const sample = dot(v, await hvp(v));
    samples.push(sample);
    sum += sample;
    const mean = sum / samples.length;
    if (samples.length >= minSamples && previous !== undefined && Math.abs(mean - previous) <= tolerance * (Math.abs(previous) + 1e-6)) break;
    previous = mean;
  }
  const n = samples.length;
  const mean = sum / n;
  const variance = n > 1 ? samples.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : 0;
  return { trace: mean, standardError: Math.sqrt(variance / n), samples: n };
}
