/**
 * PyTorch: a function over batched tensors and an `nn.Module` that holds the params.
 * Stable forms are PyTorch's fused ops: F.softplus, F.logsigmoid, torch.logsumexp. Kink
 * conventions match LossLab's: torch.maximum and torch.amax split the gradient evenly on a tie,
 * torch.clamp passes it on the closed interval, abs'(0) = relu'(0) = 0.
 */
import type { ExportPlan } from './exportPlan';
import { call, mathFunctions, positionsView, pythonShape, type PythonDialect } from './pythonDialect';
import { className, renderPythonExport, type PythonSignature } from './pythonExport';

export const PYTORCH: PythonDialect = {
  imports: ['import torch', 'import torch.nn.functional as F', 'from torch import nn'],
  tensor: {
    sumAlong: (x, a) => `torch.sum(${x}, dim=${a}, keepdim=True)`,
    maxAlong: (x, a) => `torch.amax(${x}, dim=${a}, keepdim=True)`,
    minAlong: (x, a) => `torch.amin(${x}, dim=${a}, keepdim=True)`,
    logsumexpAlong: (x, a) => `torch.logsumexp(${x}, dim=${a}, keepdim=True)`,
    softmaxAlong: (x, a) => `torch.softmax(${x}, dim=${a})`,
    cumsumAlong: (x, a, reversed) => (reversed ? `torch.flip(torch.cumsum(torch.flip(${x}, [${a}]), dim=${a}), [${a}])` : `torch.cumsum(${x}, dim=${a})`),
    diffAlong: (x, a) => `torch.diff(${x}, dim=${a}, prepend=torch.zeros_like(torch.narrow(${x}, ${a}, 0, 1)))`,
    sumAll: call('torch.sum'),
    maxAll: call('torch.amax'),
    minAll: call('torch.amin'),
    logsumexpAll: (x) => `torch.logsumexp(torch.reshape(${x}, (-1,)), dim=0)`,
    matmul: (a, b) => `torch.matmul(${a}, ${b})`,
    concatAlong: (a, b, axis) => `torch.cat([${a}, ${b}], dim=${axis})`,
    topk: (x, k) => `torch.topk(${x}, ${k}, dim=-1).values`,
    transpose: (x) => `torch.transpose(${x}, -2, -1)`,
    reshape: (x, shape) => `torch.reshape(${x}, ${shape})`,
    broadcastTo: (x, shape) => `torch.broadcast_to(${x}, ${shape})`,
    positions: (shape, axis, ref) =>
      `torch.broadcast_to(torch.arange(1, ${shape[axis]} + 1, dtype=${ref}.dtype, device=${ref}.device).reshape(${positionsView(shape, axis)}), ${pythonShape(shape)})`,
  },
  elementwise: {
    ...mathFunctions('torch'),
    asin: call('torch.asin'),
    acos: call('torch.acos'),
    atan: call('torch.atan'),
    erf: call('torch.erf'),
    lgamma: call('torch.lgamma'),
    sigmoid: call('torch.sigmoid'),
    // Beyond its threshold F.softplus returns x itself; at the default 20 that is off by e^-20
    // (2e-9, in value and gradient) in float64. At 40, e^-40 is below half an ulp: exact.
    softplus: (x) => `F.softplus(${x}, threshold=40)`,
    relu: call('torch.relu'),
    logSigmoid: call('F.logsigmoid'),
  },
  atan2: (y, x) => `torch.atan2(${y}, ${x})`,
  polygamma: (n, x) => (n === 0 ? `torch.digamma(${x})` : `torch.polygamma(${n}, ${x})`),
  maximum: (a, b) => `torch.maximum(${a}, ${b})`,
  minimum: (a, b) => `torch.minimum(${a}, ${b})`,
  clip: (x, lo, hi) => `torch.clamp(${x}, ${lo}, ${hi})`,
  where: (c, a, b) => `torch.where(${c}, ${a}, ${b})`,
  classSum: (v) => `torch.sum(${v}, dim=-1, keepdim=True)`,
  classMax: (v) => `torch.amax(${v}, dim=-1, keepdim=True)`,
  classMin: (v) => `torch.amin(${v}, dim=-1, keepdim=True)`,
  classMean: (v) => `torch.mean(${v}, dim=-1, keepdim=True)`,
  logsumexp: (v) => `torch.logsumexp(${v}, dim=-1, keepdim=True)`,
  softmax: (v) => `torch.softmax(${v}, dim=-1)`,
  cumsum: (v) => `torch.cumsum(${v}, dim=-1)`,
  revcumsum: (v) => `torch.flip(torch.cumsum(torch.flip(${v}, [-1]), dim=-1), [-1])`,
  // torch.sort puts NaN last, as LossLab does; stable=True keeps tied keys in their order.
  sortBy: (x, key) => (x === key ? `torch.sort(${x}, dim=-1, stable=True).values` : `${x}.gather(-1, torch.sort(${key}, dim=-1, stable=True).indices)`),
  unsortBy: (x, key) => `${x}.gather(-1, torch.sort(torch.sort(${key}, dim=-1, stable=True).indices, dim=-1).indices)`,
  gather: (v, i) => `${v}.gather(-1, ${i})`,
  oneHot: (i, k, ref) => `(torch.arange(${k}, device=${ref}.device) == ${i}).to(${ref}.dtype)`,
  expandTo: (x, like) => `torch.broadcast_to(${x}, ${like}.shape)`,
  classCount: (v) => `${v}.shape[-1]`,
  castLike: (x, ref) => `${x.atom}.to(${ref}.dtype)`,
  toIndex: (x) => `${x.atom}.long()`,
  // torch.maximum, torch.where and friends want tensors; new_tensor keeps dtype and device.
  lift: (x, ref) => `${ref}.new_tensor(${x})`,
  stopGradient: (x) => `${x}.detach()`,
  logicalAnd: (a, b) => `${a} & ${b}`,
  logicalOr: (a, b) => `${a} | ${b}`,
  logicalNot: (a) => `~${a}`,
  mean: (x) => `${x}.mean()`,
  sum: (x) => `${x}.sum()`,
};

function pytorchModule(sig: PythonSignature, plan: ExportPlan): string[] {
  const name = className(sig.name);
  const init = ['self', ...sig.params.map((p) => `${p.name}=${p.default}`), `reduction="${sig.reduction}"`];
  const forwarded = [...sig.inputs, ...sig.params.map((p) => `${p.name}=self.${p.name}`), 'reduction=self.reduction'];
  return [
    `class ${name}(nn.Module):`,
    `    """${plan.loss.info.name} as a module: the params are attributes, forward(${sig.inputs.join(', ')}) calls ${sig.name}."""`,
    '',
    `    def __init__(${init.join(', ')}):`,
    '        super().__init__()',
    ...sig.params.map((p) => `        self.${p.name} = ${p.name}`),
    '        self.reduction = reduction',
    '',
    `    def forward(self, ${sig.inputs.join(', ')}):`,
    `        return ${sig.name}(${forwarded.join(', ')})`,
  ];
}

function pytorchNotes(code: string): string[] {
  return code.includes('threshold=40') ? ['F.softplus(x, threshold=40): exact in float64 (the default 20 returns x where x + e^-x differs by 2e-9)'] : [];
}

export function exportPytorch(plan: ExportPlan): string {
  return renderPythonExport(plan, { label: 'PyTorch', dialect: PYTORCH, notes: pytorchNotes, after: pytorchModule });
}
