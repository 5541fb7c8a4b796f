/**
 * Batch losses written in the tensor language (test/fixtures/torch-losses.loss, and the batch
 * losses of the library, library/*.loss) against their
 * PyTorch references: torch.nn.functional's losses, torchvision.ops' box and focal losses, and the
 * code of the contrastive papers. On the same float64 inputs (seeded, with labels, binary masks,
 * valid boxes and positive variances where a reference needs them), LossLab's float64 value and
 * its own symbolic gradient must agree with PyTorch's value and torch.autograd's gradient to 1e-9
 * relative (rounding noise of the output's size aside). LossLab's own PyTorch export of each loss,
 * run on the same inputs, must give the same value and autograd gradient, and its NumPy export the
 * same value.
 *
 * Python (Debian's python3-torch with python3-torchvision) is spawned once, with every case.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { normal, seededRandom } from '../../src/core/checks/random';
import { typicalSample } from '../../src/core/checks/sampling';
import { runReference } from '../../src/core/engine/reference';
import { gradient } from '../../src/core/ir/autodiff';
import { lowerToProgram } from '../../src/core/ir/program';
import { isDifferentiableRole } from '../../src/core/lang/kinds';
import type { LoweredLoss } from '../../src/core/lang/lower';
import { exportLoss } from '../../src/core/export/export';
import { pythonName } from '../../src/core/export/pythonDialect';
import { parseLossText } from '../../src/core/lang/parse';
import { LIBRARY_FILES, libraryLoss } from '../unit/library/reference';
import { lowered } from '../unit/lowered';

const ROOT = join(__dirname, '..', '..');
const FILE = readFileSync(join(ROOT, 'test', 'fixtures', 'torch-losses.loss'), 'utf8');
const PYTHON = '/usr/bin/python3';
const RELATIVE = 1e-9;
const SEEDS = [1, 2, 3];

/** How an input is drawn where standard-normal entries are not in the reference's domain. */
type Draw = 'binary' | 'unit' | 'positive' | 'sign' | 'boxes' | 'histograms';

interface Reference {
  /** Python setting `loss` (see torch_reference.py). */
  readonly code: string;
  readonly draws?: Readonly<Record<string, Draw>>;
}

const BOXES = { pred: 'boxes', gt: 'boxes' } as const;

const REFERENCES: Readonly<Record<string, Reference>> = {
  infonce: { code: 'loss = F.cross_entropy(z1 @ z2.T / tau, torch.arange(B))' },
  clip_contrastive: {
    code: 'S = F.normalize(img, dim=1) @ F.normalize(txt, dim=1).T / tau\nloss = (F.cross_entropy(S, torch.arange(B)) + F.cross_entropy(S.T, torch.arange(B))) / 2',
  },
  // SimCLR's NT-Xent: 2B views, each one's positive the other view of its sample, itself excluded.
  ntxent: {
    code: [
      'z = F.normalize(torch.cat([z1, z2]), dim=1)',
      'sim = (z @ z.T / tau).masked_fill(torch.eye(2 * B, dtype=torch.bool), float("-inf"))',
      'loss = F.cross_entropy(sim, torch.cat([torch.arange(B) + B, torch.arange(B)]))',
    ].join('\n'),
  },
  siglip: {
    code: 'logits = t * F.normalize(x, dim=1) @ F.normalize(y, dim=1).T + bias\nz = 2 * torch.eye(B, dtype=torch.float64) - 1\nloss = -F.logsigmoid(z * logits).sum() / B',
  },
  // Khosla et al.'s reference code (SupConLoss, one view, base temperature = temperature).
  supcon: {
    code: [
      'u = F.normalize(f, dim=1)',
      'S = u @ u.T / tau',
      'off = 1 - torch.eye(B, dtype=torch.float64)',
      'mask = (y[:, None] == y[None, :]).double() * off',
      'log_prob = S - torch.log((torch.exp(S) * off).sum(1, keepdim=True))',
      'loss = -((mask * log_prob).sum(1) / mask.sum(1)).mean()',
    ].join('\n'),
  },
  cross_entropy: { code: 'loss = F.cross_entropy(s, y)' },
  label_smoothing: { code: 'loss = F.cross_entropy(s, y, label_smoothing=eps)' },
  nll: { code: 'loss = F.nll_loss(F.log_softmax(s, dim=1), y)' },
  soft_targets: { code: 'loss = F.cross_entropy(s, F.softmax(q, dim=1))' },
  multi_margin: { code: 'loss = F.multi_margin_loss(s, y)' },
  distillation: {
    code: "loss = F.kl_div(F.log_softmax(student / T_kd, dim=1), F.softmax(teacher / T_kd, dim=1), reduction='batchmean') * T_kd ** 2",
  },
  // Class K is the padding token: PyTorch's ignore_index.
  token_cross_entropy: { code: 'loss = F.cross_entropy(logits.reshape(-1, K), tokens.reshape(-1), ignore_index=K - 1)' },
  bce_pos_weight: {
    code: 'loss = F.binary_cross_entropy_with_logits(x, target, pos_weight=torch.full((K,), pw, dtype=torch.float64))',
    draws: { target: 'binary' },
  },
  bce: { code: 'loss = F.binary_cross_entropy(p, target)', draws: { p: 'unit', target: 'binary' } },
  multilabel_soft_margin: { code: 'loss = F.multilabel_soft_margin_loss(x, target)', draws: { target: 'binary' } },
  sigmoid_focal: { code: "loss = tvo.sigmoid_focal_loss(x, target, alpha=alpha, gamma=gamma, reduction='mean')", draws: { target: 'binary' } },
  soft_margin: { code: 'loss = F.soft_margin_loss(x, ys)', draws: { ys: 'sign' } },
  mse: { code: 'loss = F.mse_loss(x, y)' },
  l1: { code: 'loss = F.l1_loss(x, y)' },
  smooth_l1: { code: 'loss = F.smooth_l1_loss(x, y, beta=beta)' },
  huber: { code: 'loss = F.huber_loss(x, y, delta=delta)' },
  poisson_nll: { code: 'loss = F.poisson_nll_loss(x, y, log_input=True)', draws: { y: 'positive' } },
  gaussian_nll: { code: 'loss = F.gaussian_nll_loss(mu, y, var)', draws: { var: 'positive' } },
  cosine_embedding: { code: 'loss = F.cosine_embedding_loss(a, b, ys)', draws: { ys: 'sign' } },
  cosine_similarity: { code: 'loss = 1 - F.cosine_similarity(a, b).mean()' },
  triplet: { code: 'loss = F.triplet_margin_loss(anchor, pos, neg, margin=margin)' },
  contrastive_pairs: {
    code: 'd = F.pairwise_distance(a, b, eps=0)\nloss = (same * d ** 2 + (1 - same) * F.relu(margin - d) ** 2).mean() / 2',
    draws: { same: 'binary' },
  },
  margin_ranking: { code: 'loss = F.margin_ranking_loss(x1, x2, ys, margin=margin)', draws: { ys: 'sign' } },
  hinge_embedding: { code: 'loss = F.hinge_embedding_loss(x, ys, margin=margin)', draws: { ys: 'sign' } },
  dpo: { code: 'loss = -F.logsigmoid(beta_dpo * ((chosen - ref_chosen) - (rejected - ref_rejected))).mean()' },
  dice: {
    code: 'p = torch.sigmoid(x)\nloss = (1 - (2 * (p * mask).sum((1, 2)) + smooth) / (p.sum((1, 2)) + mask.sum((1, 2)) + smooth)).mean()',
    draws: { mask: 'binary' },
  },
  tversky: {
    code: [
      'p = torch.sigmoid(x)',
      'tp = (p * mask).sum((1, 2)); fp = (p * (1 - mask)).sum((1, 2)); fn = ((1 - p) * mask).sum((1, 2))',
      'loss = (1 - (tp + smooth) / (tp + a_fp * fp + b_fn * fn + smooth)).mean()',
    ].join('\n'),
    draws: { mask: 'binary' },
  },
  giou: { code: "loss = tvo.generalized_box_iou_loss(pred, gt, reduction='mean')", draws: BOXES },
  diou: { code: "loss = tvo.distance_box_iou_loss(pred, gt, reduction='mean')", draws: BOXES },
  ciou: { code: "loss = tvo.complete_box_iou_loss(pred, gt, reduction='mean')", draws: BOXES },
  wasserstein_hist: { code: 'loss = torch.cumsum(F.softmax(s, dim=1) - F.softmax(r, dim=1), dim=1).abs().sum(1).mean()' },
  // Berman et al.'s lovasz_hinge(per_image=True), their lovasz_grad.
  lovasz_hinge: {
    code: [
      'def lovasz_grad(g):',
      '    gts = g.sum(); j = 1. - (gts - g.cumsum(0)) / (gts + (1 - g).cumsum(0))',
      '    return torch.cat([j[:1], j[1:] - j[:-1]])',
      'per_image = []',
      'for lg, lab in zip(logits, labels):',
      '    errors = 1. - lg * (2. * lab - 1.)',
      '    es, perm = torch.sort(errors, 0, descending=True)',
      '    per_image.append(torch.dot(F.relu(es), lovasz_grad(lab[perm])))',
      'loss = torch.stack(per_image).mean()',
    ].join('\n'),
    draws: { labels: 'binary' },
  },
  // allRank's listMLE (without its random shuffle, which only breaks ties; the draws have none).
  listmle: {
    code: [
      'order = relevance.sort(descending=True, dim=-1).indices',
      't = torch.gather(scores, 1, order)',
      'm = t.max(dim=1, keepdim=True).values',
      'cumsums = torch.cumsum((t - m).exp().flip(dims=[1]), dim=1).flip(dims=[1])',
      'loss = torch.mean(torch.sum(torch.log(cumsums + 1e-10) - (t - m), dim=1))',
    ].join('\n'),
  },
  // Lapin et al.'s top-k hinges (alpha, beta) with torch.topk, k = T.
  top_k_svm: { code: 'a = 1 - F.one_hot(y, K).double() + s - s.gather(1, y[:, None])\nloss = F.relu(a.topk(T, dim=1).values.sum(1) / T).mean()' },
  top_k_svm_beta: { code: 'a = 1 - F.one_hot(y, K).double() + s - s.gather(1, y[:, None])\nloss = (F.relu(a.topk(T, dim=1).values).sum(1) / T).mean()' },
  ntxent_stacked: {
    code: [
      'z = F.normalize(torch.cat([z1, z2]), dim=1)',
      'sim = (z @ z.T / tau).masked_fill(torch.eye(2 * B, dtype=torch.bool), float("-inf"))',
      'loss = F.cross_entropy(sim, torch.cat([torch.arange(B) + B, torch.arange(B)]))',
    ].join('\n'),
  },
};

/** A fixture reference in `tau` for a library loss whose temperature is the param `temperature`. */
const inTemperature = (reference: Reference | undefined): Reference => ({ code: `tau = temperature\n${(reference as Reference).code}` });

/**
 * The library's batch losses (library/*.loss, at the sizes and params their files declare) against
 * PyTorch: torch.nn.functional, torchvision.ops, the papers' code, or the paper's formula in torch
 * where no library function exists (the expected distance for the ordinal Wasserstein, torch.topk
 * for the top-k hinge).
 */
const LIBRARY_REFERENCES: Readonly<Record<string, Reference>> = {
  infonce_batch: inTemperature(REFERENCES.infonce),
  clip_contrastive: inTemperature(REFERENCES.clip_contrastive),
  ntxent: inTemperature(REFERENCES.ntxent),
  // Khosla et al.'s SupConLoss (one view, base_temperature = temperature), with its guard for anchors without a positive.
  supcon: {
    code: [
      'u = F.normalize(f, dim=1)',
      'S = u @ u.T / temperature',
      'logits = S - S.max(dim=1, keepdim=True).values.detach()',
      'logits_mask = 1 - torch.eye(B, dtype=torch.float64)',
      'mask = (y[:, None] == y[None, :]).double() * logits_mask',
      'log_prob = logits - torch.log((torch.exp(logits) * logits_mask).sum(1, keepdim=True))',
      'mask_pos_pairs = mask.sum(1)',
      'mask_pos_pairs = torch.where(mask_pos_pairs < 1e-6, torch.ones_like(mask_pos_pairs), mask_pos_pairs)',
      'loss = -((mask * log_prob).sum(1) / mask_pos_pairs).mean()',
    ].join('\n'),
  },
  // big_vision's sigmoid loss: -sum(log_sigmoid(labels * logits)) / n.
  siglip_batch: {
    code: 'logits = siglip_t * F.normalize(img, dim=1) @ F.normalize(txt, dim=1).T + siglip_b\nz = 2 * torch.eye(B, dtype=torch.float64) - 1\nloss = -F.logsigmoid(z * logits).sum() / B',
  },
  giou: { code: "loss = tvo.generalized_box_iou_loss(pred, target, reduction='mean')", draws: { pred: 'boxes', target: 'boxes' } },
  diou: { code: "loss = tvo.distance_box_iou_loss(pred, target, reduction='mean')", draws: { pred: 'boxes', target: 'boxes' } },
  ciou: { code: "loss = tvo.complete_box_iou_loss(pred, target, reduction='mean')", draws: { pred: 'boxes', target: 'boxes' } },
  lovasz_hinge: REFERENCES.lovasz_hinge as Reference,
  soft_dice_batch: {
    code: 'p = torch.sigmoid(x)\nloss = (1 - (2 * (p * mask).sum((1, 2)) + dice_smooth) / (p.sum((1, 2)) + mask.sum((1, 2)) + dice_smooth)).mean()',
    draws: { mask: 'binary' },
  },
  tversky_batch: {
    code: [
      'p = torch.sigmoid(x)',
      'tp = (p * mask).sum((1, 2)); fp = (p * (1 - mask)).sum((1, 2)); fn = ((1 - p) * mask).sum((1, 2))',
      'loss = (1 - (tp + dice_smooth) / (tp + tversky_alpha * fp + tversky_beta * fn + dice_smooth)).mean()',
    ].join('\n'),
    draws: { mask: 'binary' },
  },
  wasserstein_batch: {
    code: 'loss = torch.cumsum(F.softmax(s, dim=1) - q, dim=1)[:, :-1].abs().sum(1).mean()',
    draws: { q: 'histograms' },
  },
  // W1 to a point mass at y: the expected distance |k - y| under softmax(s).
  wasserstein_ordinal: { code: 'k = torch.arange(K)\nloss = (F.softmax(s, dim=1) * (k[None, :] - y[:, None]).abs()).sum(1).mean()' },
  // allRank's listMLE and listNet with eps = 0 (their default 1e-10 inside the log moves the loss by ~1e-9).
  listmle: {
    code: [
      'order = relevance.sort(descending=True, dim=-1).indices',
      't = torch.gather(scores, 1, order)',
      'm = t.max(dim=1, keepdim=True).values',
      'cumsums = torch.cumsum((t - m).exp().flip(dims=[1]), dim=1).flip(dims=[1])',
      'loss = torch.mean(torch.sum(torch.log(cumsums) - (t - m), dim=1))',
    ].join('\n'),
  },
  listnet: { code: 'loss = torch.mean(-torch.sum(F.softmax(relevance, dim=1) * torch.log(F.softmax(scores, dim=1)), dim=1))' },
  top_k_svm_batch: {
    code: ['a = 1 - F.one_hot(y, K).double() + s - s.gather(1, y[:, None])', 'loss = F.relu(a.topk(int(top_k), dim=1).values.sum(1) / top_k).mean()'].join(
      '\n',
    ),
  },
};

/**
 * Entries of one input drawn for its reference's domain: [x1, y1, x2, y2] boxes with positive sides,
 * overlapping often; histograms: rows (of `rowLength` entries) of positive weights summing to 1.
 */
function drawn(draw: Draw, size: number, seed: number, rowLength: number): number[] {
  const r = seededRandom(seed);
  switch (draw) {
    case 'histograms':
      return Array.from({ length: size / rowLength }, () => {
        const w = Array.from({ length: rowLength }, () => Math.exp(normal(r)));
        const total = w.reduce((a, b) => a + b, 0);
        return w.map((x) => x / total);
      }).flat();
    case 'binary':
      return Array.from({ length: size }, () => (r() < 0.5 ? 0 : 1));
    case 'sign':
      return Array.from({ length: size }, () => (r() < 0.5 ? -1 : 1));
    case 'unit':
      return Array.from({ length: size }, () => 0.02 + 0.96 * r());
    case 'positive':
      return Array.from({ length: size }, () => Math.exp(normal(r)));
    case 'boxes':
      return Array.from({ length: size / 4 }, () => {
        const [x, y] = [normal(r), normal(r)];
        return [x, y, x + Math.exp(normal(r)), y + Math.exp(normal(r))];
      }).flat();
  }
}

interface Case {
  readonly name: string;
  readonly loss: LoweredLoss;
  readonly values: Record<string, number[]>;
  readonly params: Record<string, number>;
}

function casesOf(name: string, loss: LoweredLoss, reference: Reference): Case[] {
  const params = Object.fromEntries(loss.params.map((p) => [p.decl.name, p.decl.value]));
  return SEEDS.map((seed) => {
    const sample = typicalSample(loss, 1, seed);
    const values: Record<string, number[]> = {};
    loss.inputs.forEach(({ spec, leaf }, i) => {
      const typical = Array.from(sample.values[spec.name] as Float64Array);
      const draw = reference.draws?.[spec.name];
      const rowLength = loss.graph.shape(leaf).at(-1) ?? 1;
      values[spec.name] = draw === undefined ? typical : drawn(draw, typical.length, seed * 101 + i, rowLength);
    });
    return { name, loss, values, params };
  });
}

type Wire = number | 'inf' | '-inf' | 'nan';
const fromWire = (x: Wire): number => (typeof x === 'number' ? x : x === 'nan' ? NaN : x === 'inf' ? Infinity : -Infinity);

interface TorchValues {
  readonly value?: Wire;
  readonly grads?: Readonly<Record<string, readonly Wire[]>>;
  readonly error?: string;
}

interface TorchResult extends TorchValues {
  /** LossLab's PyTorch export run on the same inputs (value and autograd gradient). */
  readonly export_torch?: TorchValues;
  /** LossLab's NumPy export (value). */
  readonly export_numpy?: TorchValues;
}

function exported(loss: LoweredLoss, target: 'pytorch' | 'numpy'): string {
  const r = exportLoss(loss, { target, params: {} });
  if (!r.ok) throw new Error(`${loss.info.name} does not export to ${target}: ${r.message}`);
  return r.value;
}

function agree(got: number, expected: number, scale: number): boolean {
  if (Object.is(got, expected)) return true;
  return Math.abs(got - expected) <= RELATIVE * Math.max(Math.abs(expected), scale) + 1e-15;
}

/** PyTorch's value and gradient, and LossLab's PyTorch and NumPy exports run, for each case (Python spawned once). */
function torchResults(cases: readonly Case[], references: Readonly<Record<string, Reference>>): TorchResult[] {
  const payload = cases.map((c) => ({
    name: c.name,
    code: (references[c.name] as Reference).code,
    params: { ...c.params, ...Object.fromEntries(c.loss.sizes) },
    params_of_export: c.params,
    function: pythonName(c.loss.info.name),
    export_torch: exported(c.loss, 'pytorch'),
    export_numpy: exported(c.loss, 'numpy'),
    inputs: c.loss.inputs.map(({ spec, leaf }) => ({
      name: spec.name,
      shape: c.loss.graph.shape(leaf),
      role: spec.role,
      values: c.values[spec.name],
    })),
  }));
  const run = spawnSync(PYTHON, [join(__dirname, 'torch_reference.py')], { input: JSON.stringify(payload), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as TorchResult[];
}

/** One `it` per loss of `references`: LossLab's value and gradient as PyTorch's, and as its own exports'. */
function itAgreesWithTorch(references: Readonly<Record<string, Reference>>, lossOf: (name: string) => LoweredLoss): void {
  let cases: Case[] = [];
  let results: TorchResult[] = [];
  before(() => {
    cases = Object.keys(references).flatMap((name) => casesOf(name, lossOf(name), references[name] as Reference));
    results = torchResults(cases, references);
  });
  for (const name of Object.keys(references)) {
    it(`${name}: value and gradient as PyTorch's, and as LossLab's PyTorch and NumPy exports`, () => {
      assert.equal(cases.filter((c) => c.name === name).length, SEEDS.length, `${name}: no cases to compare`);
      for (const [k, c] of cases.entries()) {
        if (c.name !== name) continue;
        const torch = results[k] as TorchResult;
        assert.equal(torch.error, undefined, `the PyTorch reference failed: ${torch.error}`);
        const wrt = c.loss.inputs.filter((i) => isDifferentiableRole(i.spec.role));
        const grads = gradient(
          c.loss.graph,
          c.loss.value,
          wrt.map((i) => i.leaf),
        );
        const [value, ...g] = runReference(lowerToProgram(c.loss.graph, [c.loss.value, ...grads]), { rows: 1, values: { ...c.params, ...c.values } });
        const v = (value as Float64Array)[0] as number;
        const tv = fromWire(torch.value as Wire);
        assert.ok(Number.isFinite(v), `LossLab's value is ${v}`);
        assert.ok(agree(v, tv, 0), `value ${v} against PyTorch's ${tv}`);
        const sameGradient = (other: TorchValues, who: string): void =>
          wrt.forEach((input, w) => {
            const ours = Array.from(g[w] as Float64Array);
            const theirs = ((other.grads ?? {})[input.spec.name] ?? []).map(fromWire);
            assert.equal(ours.length, theirs.length, `d/d${input.spec.name}: ${ours.length} entries against ${theirs.length} (${who})`);
            const scale = Math.max(...theirs.map(Math.abs));
            ours.forEach((x, i) => assert.ok(agree(x, theirs[i] as number, scale), `d/d${input.spec.name}[${i}] = ${x} against ${who}'s ${theirs[i]}`));
          });
        sameGradient(torch, 'PyTorch');
        // LossLab's own exports, run on the same inputs: the PyTorch one with autograd, the NumPy one's value.
        const viaTorch = torch.export_torch ?? {};
        assert.equal(viaTorch.error, undefined, `the PyTorch export failed: ${viaTorch.error}`);
        assert.ok(agree(fromWire(viaTorch.value as Wire), v, 0), `the PyTorch export gives ${String(viaTorch.value)}, LossLab ${v}`);
        sameGradient(viaTorch, 'the PyTorch export');
        const viaNumpy = torch.export_numpy ?? {};
        assert.equal(viaNumpy.error, undefined, `the NumPy export failed: ${viaNumpy.error}`);
        assert.ok(agree(fromWire(viaNumpy.value as Wire), v, 0), `the NumPy export gives ${String(viaNumpy.value)}, LossLab ${v}`);
      }
    });
  }
}

describe('batch losses against PyTorch', () => {
  const names = Object.keys(REFERENCES);

  it('covers every loss of the fixture file, each in at most 15 lines with the helpers it calls', () => {
    const defined = [...FILE.matchAll(/^([a-z_0-9]+)\(/gm)].map((m) => m[1] as string);
    const helpers = [...FILE.matchAll(/^@helper\n([a-z_0-9]+)\(/gm)].map((m) => m[1] as string);
    assert.deepEqual(
      defined.filter((d) => !helpers.includes(d)),
      names,
    );
    const linesOf = (name: string): string[] => {
      const m = new RegExp(`^${name}\\(.*\\n(?:  where .*\\n)*`, 'm').exec(FILE);
      return (m?.[0] ?? '').trimEnd().split('\n');
    };
    for (const name of names) {
      const own = linesOf(name);
      const called = new Set<string>();
      const visit = (lines: readonly string[]): void => {
        for (const h of helpers) {
          if (called.has(h) || !lines.some((l) => new RegExp(`\\b${h}\\(`).test(l))) continue;
          called.add(h);
          visit(linesOf(h));
        }
      };
      visit(own);
      const total = own.length + [...called].reduce((n, h) => n + linesOf(h).length, 0);
      assert.ok(total <= 15, `${name} takes ${total} lines`);
    }
  });

  itAgreesWithTorch(REFERENCES, (name) => lowered(FILE, name));
});

describe("the library's batch losses against PyTorch", () => {
  it('covers every batch loss of library/', () => {
    const batch = [...LIBRARY_FILES.values()].flatMap((text) =>
      parseLossText(text)
        .definitions.filter((d) => !d.helper && libraryLoss(d.name).info.kind === 'batch')
        .map((d) => d.name),
    );
    assert.deepEqual(batch.sort(), Object.keys(LIBRARY_REFERENCES).sort());
  });

  itAgreesWithTorch(LIBRARY_REFERENCES, libraryLoss);
});
