/**
 * Exact Hessian-vector products H v of the empirical risk, by Pearlmutter's R-operator
 * ("Fast Exact Multiplication by the Hessian", 1994): one forward pass of directional
 * derivatives R{·} = d/dε (·)(θ + ε v) at ε = 0, then one backward pass of the R-derivatives of
 * the backpropagation. The loss's own curvature enters as H_f R{f}, the product of its Hessian
 * in the model's outputs with R{f}, a symbolic second derivative from LossLab. For ReLU,
 * σ'' = 0 off the kinks, so H v is the Hessian of the piecewise-smooth risk where it exists.
 */
import { activationCurvature, activationSlope, affine, backpropagateLayer, modelOutput, type LayerShape } from './model';
import type { EmpiricalRisk } from './risk';

/** H v at θ, for the risk's data and loss. */
export async function hessianVectorProduct(risk: EmpiricalRisk, theta: Float64Array, v: Float64Array): Promise<Float64Array> {
  const { shape, rows, objective } = risk;
  const act = shape.activation;
  const layers = shape.layers;
  const pass = risk.forward(theta);
  // Forward: R{a_l} = h_l Vᵀ + c + R{h_l} Wᵀ, R{h_{l+1}} = σ'(a_l) R{a_l}; R{h_0} = 0.
  const rPre: Float64Array[] = [];
  const rInput: Float64Array[] = [new Float64Array(rows * shape.inputs)];
  layers.forEach((layer, l) => {
    const ra = new Float64Array(rows * layer.outputs);
    affine(pass.inputs[l] as Float64Array, rows, layer, v, true, ra, false);
    if (l > 0) affine(rInput[l] as Float64Array, rows, layer, theta, false, ra, true);
    rPre.push(ra);
    const h = pass.inputs[l + 1];
    if (h !== undefined) rInput.push(Float64Array.from(ra, (r, i) => activationSlope(act, h[i] as number) * r));
  });

  const output = modelOutput(pass);
  const rOutput = rPre[layers.length - 1] as Float64Array;
  const { gradient } = await objective.valueAndGradient(output, risk.labels, rows);
  const curvature = await objective.hessianVector(output, rOutput, risk.labels, rows);
  let delta = Float64Array.from(gradient, (g) => g / rows);
  let rDelta = Float64Array.from(curvature, (h) => h / rows);

  // Backward: R{∇W_l} = R{δ_l}ᵀ h_l + δ_lᵀ R{h_l}; R{∇b_l} = Σ R{δ_l};
  // R{δ_{l-1}} = (R{δ_l} W + δ_l V) σ'(a) + (δ_l W) σ''(a) R{a}.
  const hv = new Float64Array(shape.size);
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l] as LayerShape;
    const h = pass.inputs[l] as Float64Array;
    if (l === 0) {
      backpropagateLayer(rDelta, h, rows, layer, theta, { grad: hv });
      break;
    }
    // R{e} = R{δ} W + δ V and e = δ W, where e is the adjoint of the layer's input.
    const re = new Float64Array(rows * layer.inputs);
    backpropagateLayer(rDelta, h, rows, layer, theta, { grad: hv, dx: re });
    backpropagateLayer(delta, rInput[l] as Float64Array, rows, layer, v, { grad: hv, withBias: false, dx: re, accumulate: true });
    const e = new Float64Array(rows * layer.inputs);
    backpropagateLayer(delta, h, rows, layer, theta, { dx: e });
    const ra = rPre[l - 1] as Float64Array;
    const below = new Float64Array(e.length);
    const rBelow = new Float64Array(e.length);
    for (let i = 0; i < e.length; i++) {
      const hi = h[i] as number;
      const slope = activationSlope(act, hi);
      below[i] = (e[i] as number) * slope;
      rBelow[i] = (re[i] as number) * slope + (e[i] as number) * activationCurvature(act, hi) * (ra[i] as number);
    }
    delta = below;
    rDelta = rBelow;
  }
  return hv;
}
