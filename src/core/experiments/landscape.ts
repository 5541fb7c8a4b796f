/**
 * The model's loss landscape around trained parameters θ*: L(θ* + α d1 + β d2) on a grid, along
 * random directions normalised filter-wise (Li, Xu, Taylor, Studer & Goldstein 2018, "Visualizing
 * the Loss Landscape of Neural Nets", section 4): each filter of d, here the incoming weights of
 * one unit (a row of W), is rescaled to the norm of the same filter of θ*, and the biases get no
 * direction (their `ignore biasbn` setting). The slice then does not change when a ReLU layer is
 * scaled by c and the next one by 1/c, which leaves the network's function unchanged. Also the
 * linear path from the initial to the final parameters (Goodfellow, Vinyals & Saxe 2015).
 */
import { normal } from '../checks/random';
import type { ModelShape } from './model';
import type { EmpiricalRisk } from './risk';

export function filterNormalizedDirection(shape: ModelShape, theta: Float64Array, random: () => number): Float64Array {
  const d = new Float64Array(shape.size);
  for (const layer of shape.layers) {
    for (let j = 0; j < layer.outputs; j++) {
      const at = layer.weights + j * layer.inputs;
      let dNorm = 0;
      let thetaNorm = 0;
      for (let k = at; k < at + layer.inputs; k++) {
        const r = normal(random);
        d[k] = r;
        dNorm += r * r;
        thetaNorm += (theta[k] as number) ** 2;
      }
      const scale = dNorm > 0 ? Math.sqrt(thetaNorm / dNorm) : 0;
      for (let k = at; k < at + layer.inputs; k++) d[k] = (d[k] as number) * scale;
    }
  }
  return d;
}

/** `count` evenly spaced values from lo to hi. */
export function linspace(lo: number, hi: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => (count === 1 ? lo : lo + ((hi - lo) * i) / (count - 1)));
}

function along(theta: Float64Array, terms: readonly (readonly [number, Float64Array])[]): Float64Array {
  const out = Float64Array.from(theta);
  for (const [c, d] of terms) if (c !== 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + c * (d[i] as number);
  return out;
}

/** L(θ + α d1 + β d2): values[j][i] at (alphas[i], betas[j]); undefined when cancelled between rows. */
export async function surfaceSlice(
  risk: EmpiricalRisk,
  theta: Float64Array,
  d1: Float64Array,
  d2: Float64Array,
  alphas: readonly number[],
  betas: readonly number[],
  isCancelled: () => boolean = () => false,
): Promise<number[][] | undefined> {
  const values: number[][] = [];
  for (const beta of betas) {
    if (isCancelled()) return undefined;
    values.push(
      await risk.values(
        alphas.map((alpha) =>
          along(theta, [
            [alpha, d1],
            [beta, d2],
          ]),
        ),
      ),
    );
    await new Promise((r) => setImmediate(r));
  }
  return values;
}

/** L(θ + α d) at each α. */
export function lineSlice(risk: EmpiricalRisk, theta: Float64Array, d: Float64Array, alphas: readonly number[]): Promise<number[]> {
  return risk.values(alphas.map((alpha) => along(theta, [[alpha, d]])));
}

/** L((1 - t) θ0 + t θ1) at each t. */
export function linearPath(risk: EmpiricalRisk, theta0: Float64Array, theta1: Float64Array, ts: readonly number[]): Promise<number[]> {
  const step = Float64Array.from(theta1, (v, i) => v - (theta0[i] as number));
  return risk.values(ts.map((t) => along(theta0, [[t, step]])));
}
