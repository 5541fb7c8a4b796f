/**
 * How a trained classifier does: accuracy, and the expected calibration error of its confidence
 * (Guo, Pleiss, Sun & Weinberger 2017, "On Calibration of Modern Neural Networks": 15 equal-width
 * bins, ECE = Σ_b |B_b| / n · |acc(B_b) - conf(B_b)|). The confidence is the softmax's largest
 * probability for K logits, and max(σ(f), 1 - σ(f)) for a scalar output: the probability the
 * logistic link reads from f, which is what a probability loss trains, and only a convention for
 * a margin loss whose link is not the logistic one.
 */
export interface Predictions {
  readonly predicted: Int32Array;
  readonly confidence: Float64Array;
}

export const ECE_BINS = 15;

/** The predicted class and its confidence for each row of `outputs` (rows × width). */
export function predict(outputs: Float64Array, rows: number, width: number): Predictions {
  const predicted = new Int32Array(rows);
  const confidence = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    if (width === 1) {
      const f = outputs[i] as number;
      predicted[i] = f > 0 ? 1 : 0;
      confidence[i] = 1 / (1 + Math.exp(-Math.abs(f)));
      continue;
    }
    let best = 0;
    let max = -Infinity;
    for (let k = 0; k < width; k++) {
      const s = outputs[i * width + k] as number;
      if (s > max) {
        max = s;
        best = k;
      }
    }
    // softmax_max = 1 / Σ_k exp(s_k - max), which cannot overflow.
    let z = 0;
    for (let k = 0; k < width; k++) z += Math.exp((outputs[i * width + k] as number) - max);
    predicted[i] = best;
    confidence[i] = 1 / z;
  }
  return { predicted, confidence };
}

export function accuracy(predicted: Int32Array, labels: Int32Array): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) hits++;
  return hits / labels.length;
}

export function expectedCalibrationError(p: Predictions, labels: Int32Array, bins = ECE_BINS): number {
  const count = new Float64Array(bins);
  const correct = new Float64Array(bins);
  const conf = new Float64Array(bins);
  for (let i = 0; i < labels.length; i++) {
    const c = p.confidence[i] as number;
    // Bins (b/B, (b+1)/B]; a confidence of exactly 0 would fall in the first.
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    count[b] = (count[b] as number) + 1;
    conf[b] = (conf[b] as number) + c;
    if (p.predicted[i] === labels[i]) correct[b] = (correct[b] as number) + 1;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const n = count[b] as number;
    if (n > 0) ece += (n / labels.length) * Math.abs((correct[b] as number) / n - (conf[b] as number) / n);
  }
  return ece;
}
