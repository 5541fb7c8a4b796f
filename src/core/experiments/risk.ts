/**
 * The empirical risk L(θ) = (1/n) Σ_i l(f(x_i; θ), y_i) of a model on a labelled set: its value
 * and gradient (the loss's gradient from LossLab, backpropagated through the model), and values
 * at many θ at once, batched into few calls of the loss's program (the landscape's grid).
 */
import { backward, forward, modelOutput, type ForwardPass, type ModelShape } from './model';
import type { Objective } from './objective';

/** Rows per call of the loss's program when many parameter vectors are evaluated together. */
const ROWS_PER_CALL = 1 << 16;

export class EmpiricalRisk {
  readonly labels: Float32Array;
  private pass: ForwardPass | undefined;
  private outputGradient: Float64Array | undefined;

  constructor(
    readonly shape: ModelShape,
    readonly objective: Objective,
    readonly x: Float64Array,
    readonly rows: number,
    classes: Int32Array,
  ) {
    this.labels = objective.labelColumn(classes);
  }

  /** The forward pass at θ (its buffers are reused by the next call). */
  forward(theta: Float64Array): ForwardPass {
    this.pass = forward(this.shape, theta, this.x, this.rows, this.pass);
    return this.pass;
  }

  async value(theta: Float64Array): Promise<number> {
    return mean(await this.objective.values(modelOutput(this.forward(theta)), this.labels, this.rows), this.rows);
  }

  /** L(θ), with ∇L(θ) written into `grad`. */
  async valueAndGradient(theta: Float64Array, grad: Float64Array): Promise<number> {
    const pass = this.forward(theta);
    const r = await this.objective.valueAndGradient(modelOutput(pass), this.labels, this.rows);
    if (this.outputGradient?.length !== r.gradient.length) this.outputGradient = new Float64Array(r.gradient.length);
    const outputGradient = this.outputGradient;
    for (let i = 0; i < outputGradient.length; i++) outputGradient[i] = (r.gradient[i] as number) / this.rows;
    backward(this.shape, theta, pass, outputGradient, grad);
    return mean(r.values, this.rows);
  }

  /** L at every θ of `thetas`, several θ per call of the loss's program. */
  async values(thetas: readonly Float64Array[]): Promise<number[]> {
    const perCall = Math.max(1, Math.floor(ROWS_PER_CALL / this.rows));
    const width = this.objective.outputs;
    const out: number[] = [];
    for (let start = 0; start < thetas.length; start += perCall) {
      const batch = thetas.slice(start, start + perCall);
      const outputs = new Float64Array(batch.length * this.rows * width);
      const labels = new Float32Array(batch.length * this.rows);
      batch.forEach((theta, b) => {
        outputs.set(modelOutput(this.forward(theta)), b * this.rows * width);
        labels.set(this.labels, b * this.rows);
      });
      const values = await this.objective.values(outputs, labels, batch.length * this.rows);
      for (let b = 0; b < batch.length; b++) {
        let s = 0;
        for (let i = b * this.rows; i < (b + 1) * this.rows; i++) s += values[i] as number;
        out.push(s / this.rows);
      }
    }
    return out;
  }
}

function mean(values: ArrayLike<number>, rows: number): number {
  let s = 0;
  for (let i = 0; i < rows; i++) s += values[i] as number;
  return s / rows;
}
