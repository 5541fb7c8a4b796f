/**
 * Every library loss pinned to its paper: its value at a point, computed here in plain JavaScript
 * from the formula as the paper writes it (the library often writes a stable rewrite instead).
 * A loss added to library/ without a row here fails the last test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lowerToProgram } from '../../../src/core/ir/program';
import { float32Engines } from '../float32Engines';
import { assertClose, LIBRARY_FILES, libraryLoss, logSumExp, sigmoid, softmax, softplus, sum, valueOf, type Point } from './reference';
import { parseLossText } from '../../../src/core/lang/parse';

interface Pin {
  readonly loss: string;
  readonly formula: string;
  readonly at: Point;
  readonly params?: Readonly<Record<string, number>>;
  readonly expected: number;
  /** Relative tolerance; the default is float64 round-off. */
  readonly tolerance?: number;
}

const log = Math.log;
const exp = Math.exp;
const sq = (x: number): number => x * x;

// Shared points: logits with the true class second, similarities with the positive first,
// two probability vectors, and a soft mask against a binary target.
const S = [1.2, -0.4, 0.3];
const Y = 2;
const P_S = softmax(S);
const PY = P_S[Y - 1] as number;
const COS = [0.8, 0.3, -0.2];
const P = [0.5, 0.3, 0.2];
const Q = [0.2, 0.5, 0.3];
const SOFT = [0.9, 0.2, 0.6];
const MASK = [1, 0, 1];
const dot = (a: readonly number[], b: readonly number[]): number => sum(a.map((x, i) => x * (b[i] as number)));
const kl = (a: readonly number[], b: readonly number[]): number => sum(a.map((x, i) => (x === 0 ? 0 : x * log(x / (b[i] as number)))));
const mean = (v: readonly number[]): number => sum(v) / v.length;

// Tversky: TP, FP, FN of the soft mask (alpha = 0.3, beta = 0.7).
const TP = dot(SOFT, MASK);
const FP = dot(
  SOFT,
  MASK.map((g) => 1 - g),
);
const FN = dot(
  SOFT.map((p) => 1 - p),
  MASK,
);
const TI = TP / (TP + 0.3 * FP + 0.7 * FN);

// Barron's rho(x, alpha, c) = |alpha - 2| / alpha ((x/c)^2 / |alpha - 2| + 1)^(alpha/2) - 1).
const barron = (x: number, alpha: number, c: number): number => (Math.abs(alpha - 2) / alpha) * (Math.pow(sq(x / c) / Math.abs(alpha - 2) + 1, alpha / 2) - 1);

// AnyLoss: amplified probabilities, then the confusion matrix.
const amplified = SOFT.map((p) => 1 / (1 + exp(-73 * (p - 0.5))));
const anyTP = dot(amplified, MASK);
const anyFN = dot(
  amplified.map((a) => 1 - a),
  MASK,
);
const anyFP = dot(
  amplified,
  MASK.map((g) => 1 - g),
);

// ORPO: odds(y) = P(y) / (1 - P(y)) with P(y) = exp(mean log-likelihood).
const odds = (l: number): number => exp(l) / (1 - exp(l));

const PINS: readonly Pin[] = [
  // classification.loss: margin losses phi(z)
  { loss: 'zero_one', formula: '1[z <= 0] at z = -0.2', at: { z: -0.2 }, expected: 1 },
  { loss: 'hinge', formula: 'max(0, 1 - z)', at: { z: 0.3 }, expected: 0.7 },
  { loss: 'squared_hinge', formula: 'max(0, 1 - z)^2', at: { z: 0.3 }, expected: 0.49 },
  { loss: 'smoothed_hinge', formula: 'Rennie & Srebro at gamma = 1: 1/2 - z for z <= 0', at: { z: -1 }, expected: 1.5 },
  { loss: 'soft_hinge', formula: 'log(1 + exp(beta (1 - z))) / beta', at: { z: 0.3 }, expected: log(1 + exp(5 * 0.7)) / 5 },
  { loss: 'logistic', formula: 'log(1 + exp(-z))', at: { z: 0.3 }, expected: log(1 + exp(-0.3)) },
  { loss: 'exponential', formula: 'exp(-z)', at: { z: 0.3 }, expected: exp(-0.3) },
  { loss: 'squared', formula: '(1 - z)^2', at: { z: 0.3 }, expected: 0.49 },
  { loss: 'modified_huber', formula: '-4z for z < -1', at: { z: -1.5 }, expected: 6 },
  { loss: 'savage', formula: '1 / (1 + exp(2z))^2', at: { z: 0.3 }, expected: 1 / sq(1 + exp(0.6)) },
  { loss: 'sigmoid_loss', formula: '1 - tanh(z)', at: { z: 0.3 }, expected: 1 - Math.tanh(0.3) },
  { loss: 'ramp', formula: 'H_1(z) - H_s(z), s = -1', at: { z: -3 }, expected: Math.max(0, 1 + 3) - Math.max(0, -1 + 3) },
  { loss: 'perceptron', formula: 'max(0, -z)', at: { z: -0.4 }, expected: 0.4 },
  // classification.loss: probability losses
  { loss: 'focal', formula: '-alpha (1 - p)^gamma log p', at: { p: 0.3 }, expected: -0.25 * sq(0.7) * log(0.3) },
  { loss: 'binary_cross_entropy', formula: '-(1 - y) log(1 - p) at y = 0', at: { p: 0.3, y: 0 }, expected: -log(0.7) },
  { loss: 'brier', formula: '(p - y)^2', at: { p: 0.3, y: 1 }, expected: 0.49 },

  // multiclass.loss, at s = (1.2, -0.4, 0.3), y = 2
  { loss: 'cross_entropy', formula: '-log softmax(s)_y', at: { s: S, y: Y }, expected: -log(PY) },
  {
    loss: 'mae_softmax',
    formula: 'sum_k |e_y - softmax(s)|_k',
    at: { s: S, y: Y },
    expected: sum(P_S.map((p, k) => Math.abs((k === Y - 1 ? 1 : 0) - p))),
  },
  { loss: 'gce', formula: '(1 - p_y^q) / q, q = 0.7', at: { s: S, y: Y }, expected: (1 - Math.pow(PY, 0.7)) / 0.7 },
  { loss: 'rce', formula: '-sum_k p_k log e_y,k with log 0 = -4', at: { s: S, y: Y }, expected: -sum(P_S.map((p, k) => (k === Y - 1 ? 0 : p * -4))) },
  { loss: 'sce', formula: '0.1 CE + 1.0 RCE', at: { s: S, y: Y }, expected: 0.1 * -log(PY) + 4 * (1 - PY) },
  { loss: 'normalized_ce', formula: '-log p_y / sum_k -log p_k', at: { s: S, y: Y }, expected: -log(PY) / sum(P_S.map((p) => -log(p))) },
  { loss: 'focal_softmax', formula: '-(1 - p_y)^2 log p_y', at: { s: S, y: Y }, expected: -sq(1 - PY) * log(PY) },
  { loss: 'poly1', formula: '-log p_y + epsilon (1 - p_y), epsilon = 1', at: { s: S, y: Y }, expected: -log(PY) + (1 - PY) },
  {
    loss: 'label_smoothing',
    formula: '-sum_k ((1 - eps) e_y + eps/K)_k log p_k',
    at: { s: S, y: Y },
    expected: -sum(P_S.map((p, k) => (0.9 * (k === Y - 1 ? 1 : 0) + 0.1 / 3) * log(p))),
  },
  { loss: 'temperature_ce', formula: '-log softmax(s / 2)_y', at: { s: S, y: Y }, expected: -log(softmax(S.map((x) => x / 2))[Y - 1] as number) },
  { loss: 'crammer_singer', formula: 'max(0, 1 + max_{k != y} s_k - s_y)', at: { s: S, y: Y }, expected: 1 + 1.2 + 0.4 },
  { loss: 'weston_watkins', formula: 'sum_{k != y} max(0, 1 - (s_y - s_k))', at: { s: S, y: Y }, expected: 1 + 1.2 + 0.4 + (1 + 0.3 + 0.4) },
  {
    loss: 'comp_sum',
    formula: '((1 + u)^(1 - tau) - 1) / (1 - tau), u = sum_{k != y} exp(s_k - s_y), tau = 0.5',
    at: { s: S, y: Y },
    expected: (Math.pow(1 + exp(1.2 + 0.4) + exp(0.3 + 0.4), 0.5) - 1) / 0.5,
  },
  {
    loss: 'ldr_kl',
    formula: 'lambda log((1/K) sum_k exp((c [k != y] + s_k - s_y) / lambda)), lambda = c = 1',
    at: { s: S, y: Y },
    expected: log(mean(S.map((s, k) => exp((k === Y - 1 ? 0 : 1) + s - (S[Y - 1] as number))))),
  },
  {
    loss: 'z_loss',
    formula: 'softplus(a (b - z_y)) / a, z_y = (s_y - mu) / sigma, a = b = 1',
    at: { s: S, y: Y },
    expected: softplus(1 - ((S[Y - 1] as number) - mean(S)) / Math.sqrt(mean(S.map((s) => s * s)) - sq(mean(S)))),
  },
  { loss: 'ce_z_loss', formula: '-log p_y + 1e-4 (log Z)^2', at: { s: S, y: Y }, expected: -log(PY) + 1e-4 * sq(logSumExp(S)) },
  {
    loss: 'top_k_svm',
    formula: 'max(0, (1/k) sum of the k largest of 1 - e_y + s - s_y), k = 2',
    at: { s: S, y: Y },
    expected: Math.max(0, (1 + 1.2 + 0.4 + (1 + 0.3 + 0.4)) / 2),
  },

  // contrastive.loss, at similarities (0.8, 0.3, -0.2) with the positive first
  {
    loss: 'infonce',
    formula: '-log exp(s_y / tau) / sum_k exp(s_k / tau), tau = 0.1',
    at: { s: COS, y: 1 },
    expected: -log(softmax(COS.map((c) => c / 0.1))[0] as number),
  },
  { loss: 'npair', formula: 'log(1 + sum_{k != y} exp(s_k - s_y))', at: { s: COS, y: 1 }, expected: log(1 + exp(0.3 - 0.8) + exp(-0.2 - 0.8)) },
  {
    loss: 'siglip',
    formula: 'sum_k log(1 + exp(-z_k (t s_k + b))), t = 10, b = -10',
    at: { s: COS, y: 1 },
    expected: log(1 + exp(-(10 * 0.8 - 10))) + log(1 + exp(10 * 0.3 - 10)) + log(1 + exp(10 * -0.2 - 10)),
  },
  {
    loss: 'cosface',
    formula: '-log e^{s(cos_y - m)} / (e^{s(cos_y - m)} + sum_{k != y} e^{s cos_k}), s = 64, m = 0.35',
    at: { s: COS, y: 1 },
    expected: -log(exp(64 * (0.8 - 0.35)) / (exp(64 * (0.8 - 0.35)) + exp(64 * 0.3) + exp(64 * -0.2))),
  },
  {
    loss: 'multi_similarity',
    formula: '(1/alpha) log(1 + exp(-alpha (S_p - lambda))) + (1/beta) log(1 + sum_n exp(beta (S_n - lambda)))',
    at: { s: COS, y: 1 },
    expected: log(1 + exp(-2 * (0.8 - 0.5))) / 2 + log(1 + exp(50 * (0.3 - 0.5)) + exp(50 * (-0.2 - 0.5))) / 50,
  },
  { loss: 'triplet', formula: 'max(0, d_ap - d_an + alpha), alpha = 0.2', at: { dp: 0.5, dn: 0.6 }, expected: 0.1 },
  { loss: 'hadsell_contrastive', formula: '(1/2) D_s^2 + (1/2) max(0, m - D_d)^2, m = 1', at: { dp: 0.3, dn: 0.4 }, expected: 0.5 * 0.09 + 0.5 * 0.36 },
  { loss: 'auc_wmw', formula: '(-(m - gamma))^p for m < gamma, gamma = 0.3, p = 2', at: { m: 0.1 }, expected: sq(0.2) },

  // distribution.loss, at p = (0.5, 0.3, 0.2), q = (0.2, 0.5, 0.3)
  { loss: 'kl', formula: 'sum p log(p / q)', at: { p: P, q: Q }, expected: kl(P, Q) },
  { loss: 'reverse_kl', formula: 'sum q log(q / p)', at: { p: P, q: Q }, expected: kl(Q, P) },
  {
    loss: 'js',
    formula: '(1/2) KL(p || m) + (1/2) KL(q || m), m = (p + q)/2',
    at: { p: P, q: Q },
    expected:
      0.5 *
        kl(
          P,
          P.map((x, i) => (x + (Q[i] as number)) / 2),
        ) +
      0.5 *
        kl(
          Q,
          P.map((x, i) => (x + (Q[i] as number)) / 2),
        ),
  },
  { loss: 'hellinger', formula: '1 - sum sqrt(p q)', at: { p: P, q: Q }, expected: 1 - sum(P.map((x, i) => Math.sqrt(x * (Q[i] as number)))) },
  { loss: 'bhattacharyya', formula: '-log sum sqrt(p q)', at: { p: P, q: Q }, expected: -log(sum(P.map((x, i) => Math.sqrt(x * (Q[i] as number))))) },
  { loss: 'total_variation', formula: 'max over events |P(A) - Q(A)| = P({1}) - Q({1})', at: { p: P, q: Q }, expected: 0.3 },
  { loss: 'chi_squared', formula: 'sum (p - q)^2 / q', at: { p: P, q: Q }, expected: sum(P.map((x, i) => sq(x - (Q[i] as number)) / (Q[i] as number))) },
  {
    loss: 'cauchy_schwarz',
    formula: '-log(<p, q> / (|p| |q|))',
    at: { p: P, q: Q },
    expected: -log(dot(P, Q) / Math.sqrt(dot(P, P) * dot(Q, Q))),
  },
  {
    loss: 'renyi',
    formula: '1/(alpha - 1) log sum p^alpha q^(1 - alpha), alpha = 1/2',
    at: { p: P, q: Q },
    expected: -2 * log(sum(P.map((x, i) => Math.sqrt(x * (Q[i] as number))))),
  },
  { loss: 'wasserstein_1d', formula: 'sum_k |F_p(k) - F_q(k)| on 1, 2, 3', at: { p: P, q: Q }, expected: Math.abs(0.5 - 0.2) + Math.abs(0.8 - 0.7) },

  // segmentation.loss, soft mask (0.9, 0.2, 0.6) against (1, 0, 1); boxes [a1, a2], [b1, b2]
  {
    loss: 'lovasz_softmax',
    formula: 'errors |g - p| sorted down, dot with the steps of the Jaccard loss of the mispredicted prefix M, 1 - |G \\ M| / |G u M| (Algorithm 1)',
    at: { p: SOFT, q: MASK },
    // Errors (0.1, 0.2, 0.4): order pixel 3, 2, 1, and G = {1, 3}. The Jaccard loss of the prefixes:
    // {3}: 1 - 1/2, {3, 2}: 1 - 1/3, {3, 2, 1}: 1 - 0/3. Steps 1/2, 1/6, 1/3.
    expected: 0.4 * 0.5 + 0.2 * (2 / 3 - 0.5) + 0.1 * (1 - 2 / 3),
  },
  { loss: 'soft_dice', formula: '1 - 2 sum(p g) / (sum p + sum g)', at: { p: SOFT, q: MASK }, expected: 1 - (2 * TP) / (sum(SOFT) + sum(MASK)) },
  {
    loss: 'vnet_dice',
    formula: '1 - 2 sum(p g) / (sum p^2 + sum g^2)',
    at: { p: SOFT, q: MASK },
    expected: 1 - (2 * TP) / (dot(SOFT, SOFT) + dot(MASK, MASK)),
  },
  { loss: 'tversky', formula: '1 - TP / (TP + 0.3 FP + 0.7 FN)', at: { p: SOFT, q: MASK }, expected: 1 - TI },
  { loss: 'focal_tversky', formula: '(1 - TI)^(1/gamma), gamma = 1.33', at: { p: SOFT, q: MASK }, expected: Math.pow(1 - TI, 1 / 1.33) },
  { loss: 'soft_iou', formula: '1 - sum(p g) / sum(p + g - p g)', at: { p: SOFT, q: MASK }, expected: 1 - TP / (sum(SOFT) + sum(MASK) - TP) },
  // [0, 1] and [2, 4]: no overlap, union 3, hull 4.
  { loss: 'giou_1d', formula: '1 - I/U + (C - U)/C', at: { a1: 0, a2: 1, b1: 2, b2: 4 }, expected: 1 - 0 + (4 - 3) / 4, tolerance: 1e-7 },
  // [0, 2] and [1, 4]: overlap 1, union 4, hull 4, centres 1 and 2.5.
  { loss: 'diou_1d', formula: '1 - IoU + rho^2 / c^2', at: { a1: 0, a2: 2, b1: 1, b2: 4 }, expected: 1 - 1 / 4 + sq(1.5) / sq(4), tolerance: 1e-7 },

  // preference.loss
  { loss: 'bradley_terry', formula: '-log sigmoid(r_w - r_l)', at: { m: 0.7 }, expected: -log(sigmoid(0.7)) },
  { loss: 'dpo', formula: '-log sigmoid(beta m), beta = 0.1', at: { m: 2 }, expected: -log(sigmoid(0.2)) },
  {
    loss: 'cdpo',
    formula: '-(1 - eps) log sigmoid(beta m) - eps log sigmoid(-beta m)',
    at: { m: 2 },
    expected: -0.9 * log(sigmoid(0.2)) - 0.1 * log(sigmoid(-0.2)),
  },
  { loss: 'ipo', formula: '(h - 1/(2 tau))^2, tau = 0.1', at: { m: 2 }, expected: 9 },
  { loss: 'simpo', formula: '-log sigmoid(beta m - gamma), beta = 2, gamma = 1', at: { m: 0.3 }, expected: -log(sigmoid(0.6 - 1)) },
  { loss: 'repo', formula: 'ReLU(gamma - m), gamma = 0.5', at: { m: 0.3 }, expected: 0.2 },
  { loss: 'slic', formula: 'max(0, delta - log P(y_w) + log P(y_l)), delta = 1', at: { m: 0.3 }, expected: 0.7 },
  { loss: 'kto_desirable', formula: 'lambda_D - lambda_D sigmoid(beta (r - z0))', at: { m: 2 }, expected: 1 - sigmoid(0.2) },
  { loss: 'kto_undesirable', formula: 'lambda_U - lambda_U sigmoid(beta (z0 - r))', at: { m: 2 }, expected: 1 - sigmoid(-0.2) },
  {
    loss: 'cpl',
    formula: '-log e^{alpha S+} / (e^{alpha S+} + e^{lambda alpha S-}), alpha = 0.1, lambda = 0.5',
    at: { sp: -3, sn: -5 },
    expected: -log(exp(0.1 * -3) / (exp(0.1 * -3) + exp(0.5 * 0.1 * -5))),
  },
  {
    loss: 'orpo',
    formula: 'L_SFT + lambda (-log sigmoid(log(odds(y_w) / odds(y_l)))), lambda = 0.1',
    at: { lw: -0.5, ll: -1.2 },
    expected: 0.5 + 0.1 * -log(sigmoid(log(odds(-0.5) / odds(-1.2)))),
  },

  // regression.loss, mostly at r = 1.7
  { loss: 'squared_error', formula: 'r^2 / 2', at: { r: 1.7 }, expected: sq(1.7) / 2 },
  { loss: 'absolute_error', formula: '|r|', at: { r: -1.7 }, expected: 1.7 },
  { loss: 'huber', formula: 'delta (|r| - delta/2) beyond delta = 1', at: { r: 1.7 }, expected: 1.2 },
  { loss: 'pseudo_huber', formula: 'delta^2 (sqrt(1 + (r/delta)^2) - 1)', at: { r: 1.7 }, expected: Math.sqrt(1 + sq(1.7)) - 1 },
  { loss: 'log_cosh', formula: 'log cosh r', at: { r: 1.7 }, expected: log(Math.cosh(1.7)) },
  { loss: 'pinball', formula: '(tau - 1) r for r < 0, tau = 0.9', at: { r: -1 }, params: { tau: 0.9 }, expected: 0.1 },
  { loss: 'epsilon_insensitive', formula: 'max(0, |r| - eps), eps = 0.1', at: { r: 1.7 }, expected: 1.6 },
  {
    loss: 'tukey_biweight',
    formula: 'c^2/6 (1 - (1 - (r/c)^2)^3), c = 4.685',
    at: { r: 1.7 },
    expected: (sq(4.685) / 6) * (1 - Math.pow(1 - sq(1.7 / 4.685), 3)),
  },
  { loss: 'cauchy', formula: 'c^2/2 log(1 + (r/c)^2), c = 2.385, beyond c', at: { r: 10 }, expected: (sq(2.385) / 2) * log(1 + sq(10 / 2.385)) },
  { loss: 'geman_mcclure', formula: 'x^2 / (1 + x^2), x = r/c, c = 1', at: { r: 1.7 }, expected: sq(1.7) / (1 + sq(1.7)) },
  { loss: 'welsch', formula: 'c^2/2 (1 - exp(-(r/c)^2 / 2)), c = 2.985', at: { r: 1.7 }, expected: (sq(2.985) / 2) * (1 - exp(-sq(1.7 / 2.985) / 2)) },
  { loss: 'barron', formula: 'rho(x, alpha, c) at alpha = 0.5, c = 1', at: { r: 1.7 }, params: { barron_alpha: 0.5 }, expected: barron(1.7, 0.5, 1) },

  // others.loss
  {
    loss: 'anyloss_f1',
    formula: '1 - 2TP / (2TP + FN + FP) of A(p) = 1 / (1 + exp(-73 (p - 1/2)))',
    at: { p: SOFT, q: MASK },
    expected: 1 - (2 * anyTP) / (2 * anyTP + anyFN + anyFP),
  },
  { loss: 'gumbel_xql', formula: 'exp(z) - z - 1, z = (Q - V) / beta, beta = 1', at: { r: 0.7 }, expected: exp(0.7) - 0.7 - 1 },
  { loss: 'proximal_matching', formula: '1 - exp(-(r / gamma)^2), gamma = 0.5', at: { r: 0.3 }, expected: 1 - exp(-sq(0.3 / 0.5)) },
  { loss: 'gan_discriminator', formula: '-log D(x) - log(1 - D(G(z)))', at: { a: 1.2, b: -0.4 }, expected: -log(sigmoid(1.2)) - log(1 - sigmoid(-0.4)) },
  { loss: 'gan_generator', formula: '-log D(G(z))', at: { b: -0.4 }, expected: -log(sigmoid(-0.4)) },
  { loss: 'lsgan_discriminator', formula: '(1/2)(D(x) - b)^2 + (1/2)(D(G(z)) - a)^2, a = 0, b = 1', at: { a: 0.8, b: 0.3 }, expected: 0.5 * 0.04 + 0.5 * 0.09 },
  { loss: 'hinge_gan_discriminator', formula: 'max(0, 1 - D(x)) + max(0, 1 + D(G(z)))', at: { a: 0.5, b: -0.2 }, expected: 0.5 + 0.8 },
];

describe('every library loss against its paper', () => {
  for (const pin of PINS) {
    it(`${pin.loss}: ${pin.formula}`, () => {
      assertClose(valueOf(pin.loss, pin.at, pin.params), pin.expected, pin.tolerance ?? 1e-12);
    });
  }

  it('pins every loss of library/ (a loss added without a value test fails here)', () => {
    // Batch losses (tensor arguments) are pinned in batched.test.ts.
    const library = [...LIBRARY_FILES.values()].flatMap((text) =>
      parseLossText(text)
        .definitions.filter((d) => !d.helper)
        .map((d) => d.name)
        .filter((name) => libraryLoss(name).info.kind !== 'batch'),
    );
    const pinned = new Set(PINS.map((p) => p.loss));
    assert.deepEqual(
      library.filter((name) => !pinned.has(name)),
      [],
    );
  });
});

describe('the float32 engines at the pins: within 1e-5 of the float64 value (issue: precision)', () => {
  const engines = float32Engines();

  for (const pin of PINS) {
    it(`${pin.loss}`, async () => {
      const loss = libraryLoss(pin.loss);
      const params = Object.fromEntries(loss.params.map((p) => [p.decl.name, pin.params?.[p.decl.name] ?? p.decl.value]));
      const program = lowerToProgram(loss.graph, [loss.value]);
      const exact = valueOf(pin.loss, pin.at, pin.params);
      for (const [name, executor] of [
        ['fused', engines.fused()],
        ['tfjs-wasm', engines.tfjs()],
      ] as const) {
        const [got] = await executor.compile(program)({ rows: 1, values: { ...params, ...pin.at } });
        const value = (got as Float32Array)[0] as number;
        // Relative, with an absolute floor of float32's ulp at 1 for values that are exactly 0.
        assert.ok(Math.abs(value - exact) <= 1e-5 * Math.abs(exact) + 2 ** -23 * 1e-2, `${name}: ${value}, float64 ${exact}`);
      }
    });
  }
});
