/**
 * The library's batch losses pinned to their papers: each one's value at a fixed batch (at the
 * sizes its file declares), against the formula as the paper writes it, computed here in plain
 * JavaScript float64 on rows of numbers (the library writes stable or vectorized rewrites: a
 * logsumexp for the log of a sum of exponentials, running sums for the Jaccard steps and the
 * CDFs, sorting masks for the top k). A batch loss added to library/ without a row here fails the
 * last test. Their values against PyTorch: test/integration/tensors-pytorch.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLossText } from '../../../src/core/lang/parse';
import { assertClose, LIBRARY_FILES, libraryLoss, softmax, sum, valueOf, type Point } from './reference';

type Row = readonly number[];
type Matrix = readonly Row[];

const { log, exp, atan, PI } = Math;
const mean = (v: Row): number => sum(v) / v.length;
const dot = (a: Row, b: Row): number => sum(a.map((x, i) => x * (b[i] as number)));
const unit = (a: Row): number[] => a.map((x) => x / Math.sqrt(dot(a, a)));
const flat = (m: Matrix): number[] => m.flat();
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const logSigmoid = (x: number): number => -log(1 + exp(-x));

// Four pairs of 3-dimensional embeddings (contrastive.loss: B = 4, D = 3), matched by row.
const Z1: Matrix = [
  [0.9, -0.3, 0.4],
  [-0.2, 1.1, 0.5],
  [0.3, 0.2, -1.0],
  [-0.7, -0.4, 0.1],
];
const Z2: Matrix = [
  [1.0, -0.1, 0.2],
  [0.1, 0.8, 0.7],
  [0.5, -0.2, -0.9],
  [-0.6, -0.6, -0.3],
];
const TAU = 0.1; // the file's `temperature`

/** -log of the softmax of row i at entry j, written as the paper's ratio of exponentials. */
const negLogRatio = (logits: Row, j: number): number => -log(exp(logits[j] as number) / sum(logits.map(exp)));

// van den Oord et al. (2018), eq. 4: L = -E log( f(x_i, c) / sum_j f(x_j, c) ), f = exp(z1 . z2 / tau).
const infonce = mean(
  range(4).map((i) =>
    negLogRatio(
      Z2.map((b) => dot(Z1[i] as Row, b) / TAU),
      i,
    ),
  ),
);

// Radford et al. (2021), figure 3: the mean of the cross-entropy over the rows (images) and over the
// columns (texts) of the cosine similarities over tau.
const cosines = (a: Matrix, b: Matrix): number[][] => a.map((u) => b.map((v) => dot(unit(u), unit(v)) / TAU));
const clipLogits = cosines(Z1, Z2);
const clip =
  (mean(range(4).map((i) => negLogRatio(clipLogits[i] as Row, i))) +
    mean(
      range(4).map((j) =>
        negLogRatio(
          clipLogits.map((r) => r[j] as number),
          j,
        ),
      ),
    )) /
  2;

// Chen et al. (2020), eq. 1 and algorithm 1: 2N views (z1's rows, then z2's); l(i, j) = -log of
// exp(sim(i, j) / tau) over the sum of exp(sim(i, k) / tau) for every k != i; L the mean of l over
// both orders of each positive pair.
const views = [...Z1, ...Z2];
const ntxentTerm = (i: number, j: number): number =>
  -log(
    exp(dot(unit(views[i] as Row), unit(views[j] as Row)) / TAU) /
      sum(
        range(8)
          .filter((k) => k !== i)
          .map((k) => exp(dot(unit(views[i] as Row), unit(views[k] as Row)) / TAU)),
      ),
  );
const ntxent = mean(range(4).flatMap((k) => [ntxentTerm(k, k + 4), ntxentTerm(k + 4, k)]));

// Khosla et al. (2020), eq. 2 (L_out) with their code's mean over anchors: for anchor i, -1/|P(i)|
// sum over its positives p of log exp(z_i . z_p / tau) / sum_{a != i} exp(z_i . z_a / tau); an
// anchor with no positive counts 0 (their code's mask_pos_pairs of 1).
const supconOf = (f: Matrix, y: Row): number =>
  mean(
    range(f.length).map((i) => {
      const z = f.map(unit);
      const denominator = sum(
        range(f.length)
          .filter((a) => a !== i)
          .map((a) => exp(dot(z[i] as Row, z[a] as Row) / TAU)),
      );
      const positives = range(f.length).filter((p) => p !== i && y[p] === y[i]);
      if (positives.length === 0) return 0;
      return -mean(positives.map((p) => log(exp(dot(z[i] as Row, z[p] as Row) / TAU) / denominator)));
    }),
  );

// Zhai et al. (2023), algorithm 1: -1/|B| sum_i sum_j log sigmoid(z_ij (t x_i . y_j + b)), with
// z_ij = 1 for i = j and -1 otherwise, t = 10, b = -10 (the file's siglip_t, siglip_b).
const siglip = -sum(range(4).flatMap((i) => range(4).map((j) => logSigmoid((i === j ? 1 : -1) * (10 * dot(unit(Z1[i] as Row), unit(Z2[j] as Row)) - 10))))) / 4;

// Boxes [x1, y1, x2, y2] in pixels (segmentation.loss: B = 4): an overlap, a box inside another,
// disjoint boxes and a near match. At these areas torchvision's eps = 1e-7 moves the loss by < 1e-10.
const PRED: Matrix = [
  [10, 20, 50, 80],
  [30, 30, 90, 60],
  [0, 0, 20, 20],
  [40, 10, 70, 45],
];
const TARGET: Matrix = [
  [25, 30, 70, 90],
  [40, 35, 60, 55],
  [60, 50, 100, 110],
  [42, 12, 71, 44],
];
const area = (b: Row): number => ((b[2] as number) - (b[0] as number)) * ((b[3] as number) - (b[1] as number));
const intersection = (a: Row, b: Row): number =>
  Math.max(0, Math.min(a[2] as number, b[2] as number) - Math.max(a[0] as number, b[0] as number)) *
  Math.max(0, Math.min(a[3] as number, b[3] as number) - Math.max(a[1] as number, b[1] as number));
const union = (a: Row, b: Row): number => area(a) + area(b) - intersection(a, b);
const enclosing = (a: Row, b: Row): Row => [
  Math.min(a[0] as number, b[0] as number),
  Math.min(a[1] as number, b[1] as number),
  Math.max(a[2] as number, b[2] as number),
  Math.max(a[3] as number, b[3] as number),
];
// Rezatofighi et al. (2019), algorithm 1: GIoU = IoU - |C \ (A u B)| / |C|, L = 1 - GIoU.
const giouOf = (a: Row, b: Row): number => 1 - (intersection(a, b) / union(a, b) - (area(enclosing(a, b)) - union(a, b)) / area(enclosing(a, b)));
// Zheng et al. (2020), eq. 6: L_DIoU = 1 - IoU + rho^2(b, b_gt) / c^2, rho the distance of the
// centres and c the diagonal of the enclosing box.
const centreDistance = (a: Row, b: Row): number => {
  const c = enclosing(a, b);
  const rho2 =
    (((a[0] as number) + (a[2] as number) - (b[0] as number) - (b[2] as number)) / 2) ** 2 +
    (((a[1] as number) + (a[3] as number) - (b[1] as number) - (b[3] as number)) / 2) ** 2;
  return rho2 / (((c[2] as number) - (c[0] as number)) ** 2 + ((c[3] as number) - (c[1] as number)) ** 2);
};
const diouOf = (a: Row, b: Row): number => 1 - intersection(a, b) / union(a, b) + centreDistance(a, b);
// Zheng et al. (2020), eqs. 8-11: L_CIoU = L_DIoU + alpha v, v = 4 / pi^2 (atan(w_gt / h_gt) - atan(w / h))^2,
// alpha = v / ((1 - IoU) + v).
const ciouOf = (a: Row, b: Row): number => {
  const aspect = (x: Row): number => atan(((x[2] as number) - (x[0] as number)) / ((x[3] as number) - (x[1] as number)));
  const v = (4 / PI ** 2) * (aspect(b) - aspect(a)) ** 2;
  const iou = intersection(a, b) / union(a, b);
  return diouOf(a, b) + (v / (1 - iou + v)) * v;
};
const overBoxes = (f: (a: Row, b: Row) => number): number => mean(PRED.map((p, i) => f(p, TARGET[i] as Row)));

// Berman et al. (2018), eqs. 8-9 and 12: the Lovász extension of the Jaccard loss at the hinge
// errors m_i = max(0, 1 - F_i y_i), y in {-1, 1}: sorted decreasingly (pi), weighted by
// Delta(M_k) - Delta(M_{k-1}) for the sets M_k = {pi_1, ..., pi_k} of mispredicted pixels, with
// Delta(M) = |M| / |G u M| (the Jaccard loss of the foreground G when the pixels of M are wrong).
const LOGITS: Matrix = [
  [2.1, -0.4, 0.7, -1.8, 0.2, 1.3],
  [-0.6, 0.9, -1.2, 0.4, 1.7, -0.1],
  [0.3, 0.5, -0.9, -0.2, 0.8, -1.5],
  [1.1, -1.3, 0.6, 0.05, -0.7, 2.4],
];
const LABELS: Matrix = [
  [1, 0, 1, 0, 0, 1],
  [0, 1, 0, 1, 1, 0],
  [1, 1, 0, 0, 0, 0],
  [0, 0, 1, 1, 0, 1],
];
const lovaszHingeOf = (s: Row, g: Row): number => {
  const errors = s.map((x, i) => 1 - x * (2 * (g[i] as number) - 1));
  const order = range(s.length).sort((i, j) => (errors[j] as number) - (errors[i] as number));
  const foreground = range(s.length).filter((i) => g[i] === 1);
  const jaccard = (wrong: readonly number[]): number => (wrong.length === 0 ? 0 : wrong.length / new Set([...foreground, ...wrong]).size);
  return sum(order.map((p, k) => Math.max(0, errors[p] as number) * (jaccard(order.slice(0, k + 1)) - jaccard(order.slice(0, k)))));
};

// Soft masks (segmentation.loss: B = 4 images of H x W = 2 x 3): Sudre et al. (2017), eq. 1 with
// one class and unit weights, DL = 1 - 2 sum p g / (sum p + sum g), and Salehi et al. (2017), eq. 3,
// 1 - TP / (TP + alpha FP + beta FN), each with the additive smoothing s = 1 in numerator and
// denominator; p = sigmoid(x), over the pixels of one image.
const X_MASKS: Matrix = [
  [1.2, -0.3, 2.2, -1.6, 0.4, 0.9],
  [-0.8, -2.1, 0.6, 1.5, -0.2, 0.1],
  [0.3, 0.7, -0.5, -1.1, 1.9, -0.4],
  [2.5, 1.4, -0.9, 0.2, -2.2, 0.8],
];
const MASKS: Matrix = [
  [1, 0, 1, 0, 0, 1],
  [0, 0, 1, 1, 0, 0],
  [0, 0, 0, 0, 0, 0],
  [1, 1, 0, 0, 0, 1],
];
const sigmoid = (x: number): number => 1 / (1 + exp(-x));
const diceOf = (x: Row, g: Row): number => {
  const p = x.map(sigmoid);
  return 1 - (2 * dot(p, g) + 1) / (sum(p) + sum(g) + 1);
};
const tverskyOf = (x: Row, g: Row): number => {
  const p = x.map(sigmoid);
  const tp = dot(p, g);
  const fp = dot(
    p,
    g.map((v) => 1 - v),
  );
  const fn = dot(
    p.map((v) => 1 - v),
    g,
  );
  return 1 - (tp + 1) / (tp + 0.3 * fp + 0.7 * fn + 1);
};

// Five ordered classes (distribution.loss: B = 4, K = 5): logits and target histograms.
const S5: Matrix = [
  [1.2, -0.4, 0.3, 0.8, -1.1],
  [-0.5, 0.2, 1.6, -0.3, 0.4],
  [0.0, 0.9, -0.7, 0.1, 1.3],
  [2.0, 1.1, -0.2, -1.4, 0.6],
];
const HISTOGRAMS: Matrix = [
  [0.1, 0.2, 0.4, 0.2, 0.1],
  [0.5, 0, 0, 0, 0.5],
  [0, 0, 1, 0, 0],
  [0.3, 0.3, 0.1, 0.2, 0.1],
];
const CLASSES5 = [2, 5, 1, 3];
// W1 on the line as the integral over t in (0, 1) of |F_p^-1(t) - F_q^-1(t)|, the quantile
// functions of p and q on the points 1..K (Villani 2009, remark 2.19): a route apart from the
// CDF differences the library sums.
const wasserstein1 = (p: Row, q: Row): number => {
  const cdf = (h: Row): number[] => h.map((_, k) => sum(h.slice(0, k + 1)));
  const quantile = (h: Row, t: number): number => cdf(h).findIndex((c) => c >= t) + 1;
  const cuts = [...new Set([0, 1, ...cdf(p), ...cdf(q)].map((c) => Math.min(1, c)))].sort((a, b) => a - b);
  return sum(
    cuts
      .slice(1)
      .map((hi, i) => (hi - (cuts[i] as number)) * Math.abs(quantile(p, ((cuts[i] as number) + hi) / 2) - quantile(q, ((cuts[i] as number) + hi) / 2))),
  );
};

// Learning to rank (ranking.loss: B = 4 queries, L = 5 documents), relevance without ties.
const SCORES: Matrix = [
  [0.5, -1.2, 2.0, 0.1, -0.3],
  [1.4, 0.2, -0.8, 0.9, 0.0],
  [-0.6, 0.7, 0.3, -1.5, 1.1],
  [0.2, 0.2, 1.8, -0.4, 0.6],
];
const RELEVANCE: Matrix = [
  [3, 0, 2, 1, 4],
  [0.5, 2.5, 1, 3, 2],
  [1, 4, 0, 2, 3],
  [2, 0, 1, 3, 4],
];
// Xia et al. (2008), eq. 9: -log P(pi_y | s), P the Plackett-Luce product over positions i of
// exp(s_pi(i)) / sum_{k >= i} exp(s_pi(k)), pi the documents by falling relevance.
const listmleOf = (s: Row, r: Row): number => {
  const pi = range(s.length).sort((i, j) => (r[j] as number) - (r[i] as number));
  return -log(pi.reduce((p, doc, i) => (p * exp(s[doc] as number)) / sum(pi.slice(i).map((k) => exp(s[k] as number))), 1));
};
// Cao et al. (2007), eqs. 3 and 5 with phi = exp: -sum_j P_y(j) log P_s(j), P the top-one probabilities.
const listnetOf = (s: Row, r: Row): number => -sum(softmax(r).map((py, j) => py * log(softmax(s)[j] as number)));

// Lapin et al. (2015), top-k hinge alpha: max(0, (1/k) sum_{j <= k} (1 - e_y + s - s_y)_[j]), the
// k largest by a descending sort (multiclass.loss: B = 4, K = 5; k = top_k = 2).
const topKHingeOf = (s: Row, y: number, k: number): number => {
  const a = s.map((x, j) => (j === y - 1 ? 0 : 1) + x - (s[y - 1] as number));
  return Math.max(0, sum([...a].sort((u, v) => v - u).slice(0, k)) / k);
};

interface Pin {
  readonly loss: string;
  readonly formula: string;
  readonly at: Point;
  readonly params?: Readonly<Record<string, number>>;
  readonly expected: number;
}

const PINS: readonly Pin[] = [
  // contrastive.loss
  { loss: 'infonce_batch', formula: 'van den Oord et al. eq. 4 over the batch, tau = 0.1', at: { z1: flat(Z1), z2: flat(Z2) }, expected: infonce },
  { loss: 'clip_contrastive', formula: "Radford et al.'s symmetric cross-entropy on cosines / tau", at: { img: flat(Z1), txt: flat(Z2) }, expected: clip },
  { loss: 'ntxent', formula: 'Chen et al. eq. 1 over the 2N views', at: { z1: flat(Z1), z2: flat(Z2) }, expected: ntxent },
  { loss: 'supcon', formula: 'Khosla et al. eq. 2, labels [1, 2, 1, 2]', at: { f: flat(Z1), y: [1, 2, 1, 2] }, expected: supconOf(Z1, [1, 2, 1, 2]) },
  { loss: 'siglip_batch', formula: 'Zhai et al. algorithm 1, t = 10, b = -10', at: { img: flat(Z1), txt: flat(Z2) }, expected: siglip },
  // segmentation.loss
  {
    loss: 'giou',
    formula: 'Rezatofighi et al. algorithm 1: 1 - IoU + |C \\ (A u B)| / |C|',
    at: { pred: flat(PRED), target: flat(TARGET) },
    expected: overBoxes(giouOf),
  },
  { loss: 'diou', formula: 'Zheng et al. eq. 6: 1 - IoU + rho^2 / c^2', at: { pred: flat(PRED), target: flat(TARGET) }, expected: overBoxes(diouOf) },
  { loss: 'ciou', formula: 'Zheng et al. eqs. 8-11: DIoU + alpha v', at: { pred: flat(PRED), target: flat(TARGET) }, expected: overBoxes(ciouOf) },
  {
    loss: 'lovasz_hinge',
    formula: 'Berman et al. eq. 12: the Lovász extension of |M| / |G u M| at the sorted hinge errors',
    at: { logits: flat(LOGITS), labels: flat(LABELS) },
    expected: mean(LOGITS.map((s, i) => lovaszHingeOf(s, LABELS[i] as Row))),
  },
  {
    loss: 'soft_dice_batch',
    formula: 'Sudre et al. eq. 1 per image, smooth = 1, one mask empty',
    at: { x: flat(X_MASKS), mask: flat(MASKS) },
    expected: mean(X_MASKS.map((x, i) => diceOf(x, MASKS[i] as Row))),
  },
  {
    loss: 'tversky_batch',
    formula: 'Salehi et al. eq. 3 per image, alpha = 0.3, beta = 0.7, smooth = 1',
    at: { x: flat(X_MASKS), mask: flat(MASKS) },
    expected: mean(X_MASKS.map((x, i) => tverskyOf(x, MASKS[i] as Row))),
  },
  // distribution.loss
  {
    loss: 'wasserstein_batch',
    formula: 'W1 as the integral of |F_p^-1 - F_q^-1| (quantile functions), p = softmax(s)',
    at: { s: flat(S5), q: flat(HISTOGRAMS) },
    expected: mean(S5.map((s, i) => wasserstein1(softmax(s), HISTOGRAMS[i] as Row))),
  },
  {
    loss: 'wasserstein_ordinal',
    formula: 'W1 to a point mass at y: the expected |k - y| under softmax(s)',
    at: { s: flat(S5), y: CLASSES5 },
    expected: mean(S5.map((s, i) => sum(softmax(s).map((p, k) => p * Math.abs(k + 1 - (CLASSES5[i] as number)))))),
  },
  // ranking.loss
  {
    loss: 'listmle',
    formula: 'Xia et al. eq. 9: -log of the Plackett-Luce probability of the order by relevance',
    at: { scores: flat(SCORES), relevance: flat(RELEVANCE) },
    expected: mean(SCORES.map((s, i) => listmleOf(s, RELEVANCE[i] as Row))),
  },
  {
    loss: 'listnet',
    formula: 'Cao et al. eq. 5: cross-entropy of the top-one probabilities',
    at: { scores: flat(SCORES), relevance: flat(RELEVANCE) },
    expected: mean(SCORES.map((s, i) => listnetOf(s, RELEVANCE[i] as Row))),
  },
  // multiclass.loss
  {
    loss: 'top_k_svm_batch',
    formula: 'Lapin et al. top-k hinge alpha by a descending sort, k = 2',
    at: { s: flat(S5), y: CLASSES5 },
    expected: mean(S5.map((s, i) => topKHingeOf(s, CLASSES5[i] as number, 2))),
  },
  {
    loss: 'top_k_svm_batch',
    formula: 'Lapin et al. top-k hinge alpha, k = 3',
    at: { s: flat(S5), y: CLASSES5 },
    params: { top_k: 3 },
    expected: mean(S5.map((s, i) => topKHingeOf(s, CLASSES5[i] as number, 3))),
  },
];

describe('every library batch loss against its paper', () => {
  for (const pin of PINS) {
    it(`${pin.loss}: ${pin.formula}`, () => {
      assertClose(valueOf(pin.loss, pin.at, pin.params), pin.expected, 1e-9);
    });
  }

  it("supcon: an anchor without a positive counts 0 (Khosla et al.'s code), labels [1, 2, 1, 1]", () => {
    assertClose(valueOf('supcon', { f: flat(Z1), y: [1, 2, 1, 1] }), supconOf(Z1, [1, 2, 1, 1]), 1e-9);
  });

  it('pins every batch loss of library/ (a batch loss added without a value test fails here)', () => {
    const batch = [...LIBRARY_FILES.values()].flatMap((text) =>
      parseLossText(text)
        .definitions.filter((d) => !d.helper)
        .map((d) => d.name)
        .filter((name) => libraryLoss(name).info.kind === 'batch'),
    );
    const pinned = new Set(PINS.map((p) => p.loss));
    assert.deepEqual(
      batch.filter((name) => !pinned.has(name)),
      [],
    );
    assert.ok(batch.length >= 16, `${batch.length} batch losses`);
  });
});
