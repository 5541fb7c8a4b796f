/**
 * The limits and identities the papers state, on the library's own definitions (float64).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose, evaluate, logSumExp, sigmoid, softmax, valueOf } from './reference';

const LOGITS = [
  [1.2, -0.4, 0.3],
  [-2, 0.5, 3.1],
  [0.01, 0, -0.02],
  [5, -5, 0],
];
const CLASSES = [1, 2, 3];
const pY = (s: readonly number[], y: number): number => softmax(s)[y - 1] as number;
const crossEntropy = (s: readonly number[], y: number): number => logSumExp(s) - (s[y - 1] as number);

describe('focal loss (Lin et al. 2017)', () => {
  it('is cross-entropy -log p at gamma = 0, alpha = 1', () => {
    for (const p of [0.01, 0.3, 0.9]) assertClose(valueOf('focal', { p }, { gamma: 0, alpha: 1 }), -Math.log(p));
  });
  it('softmax focal loss at gamma = 0 is softmax cross-entropy', () => {
    for (const s of LOGITS) for (const y of CLASSES) assertClose(valueOf('focal_softmax', { s, y }, { gamma: 0 }), crossEntropy(s, y));
  });
});

describe('generalized cross-entropy (Zhang & Sabuncu 2018)', () => {
  it('tends to cross-entropy as q -> 0', () => {
    for (const s of LOGITS) for (const y of CLASSES) assertClose(valueOf('gce', { s, y }, { gce_q: 1e-7 }), crossEntropy(s, y), 1e-6);
  });
  it('is 1 - p_y, half the MAE over the softmax, at q = 1', () => {
    for (const s of LOGITS) {
      for (const y of CLASSES) {
        assertClose(valueOf('gce', { s, y }, { gce_q: 1 }), 1 - pY(s, y));
        assertClose(valueOf('gce', { s, y }, { gce_q: 1 }), valueOf('mae_softmax', { s, y }) / 2);
      }
    }
  });
});

describe('comp-sum losses Phi_tau (Mao, Mohri & Zhong 2023)', () => {
  const u = (s: readonly number[], y: number): number => s.reduce((acc, sk, k) => (k === y - 1 ? acc : acc + Math.exp(sk - (s[y - 1] as number))), 0);
  it('tau = 1 is the logistic loss log(1 + u), i.e. cross-entropy', () => {
    for (const s of LOGITS) for (const y of CLASSES) assertClose(valueOf('comp_sum', { s, y }, { comp_tau: 1 }), Math.log1p(u(s, y)));
  });
  it('tau = 0 is the sum-exponential loss u', () => {
    for (const s of LOGITS) for (const y of CLASSES) assertClose(valueOf('comp_sum', { s, y }, { comp_tau: 0 }), u(s, y));
  });
  it('tau = 2 is 1 - 1/(1 + u) = 1 - p_y, the MAE (up to the factor 2)', () => {
    for (const s of LOGITS) {
      for (const y of CLASSES) {
        assertClose(valueOf('comp_sum', { s, y }, { comp_tau: 2 }), 1 - 1 / (1 + u(s, y)));
        assertClose(valueOf('comp_sum', { s, y }, { comp_tau: 2 }), valueOf('mae_softmax', { s, y }) / 2);
      }
    }
  });
  it('tau = 1 + q is generalized cross-entropy with that q', () => {
    for (const s of LOGITS) for (const y of CLASSES) assertClose(valueOf('comp_sum', { s, y }, { comp_tau: 1.7 }), valueOf('gce', { s, y }, { gce_q: 0.7 }));
  });
  it('keeps a finite gradient at tau = 1, where the general form is 0/0', () => {
    const g = evaluate('comp_sum', { s: LOGITS[0] as number[], y: 2 }, { comp_tau: 1 }).grad.s as number[];
    const ce = evaluate('cross_entropy', { s: LOGITS[0] as number[], y: 2 }).grad.s as number[];
    g.forEach((x, k) => assertClose(x, ce[k] as number));
  });
});

describe('symmetric losses: sum over all labels is constant (Ghosh, Kumar & Sastry 2017)', () => {
  const labelSum = (loss: string, s: readonly number[], params = {}): number => CLASSES.reduce((acc, y) => acc + valueOf(loss, { s, y }, params), 0);
  const spread = (loss: string, params = {}): number => {
    const sums = LOGITS.map((s) => labelSum(loss, s, params));
    return Math.max(...sums) - Math.min(...sums);
  };
  it('MAE over the softmax: sum_k = 2 (K - 1)', () => {
    for (const s of LOGITS) assertClose(labelSum('mae_softmax', s), 2 * (3 - 1));
  });
  it('reverse cross-entropy (Wang et al. 2019): sum_k = -A (K - 1)', () => {
    for (const s of LOGITS) assertClose(labelSum('rce', s), 4 * (3 - 1));
  });
  it('symmetric cross-entropy is symmetric at alpha = 0 (its RCE part), not with its CE part', () => {
    assert.ok(spread('sce', { sce_alpha: 0 }) < 1e-12);
    assert.ok(spread('sce') > 0.1);
  });
  it('normalized cross-entropy (Ma et al. 2020): sum_k = 1', () => {
    for (const s of LOGITS) assertClose(labelSum('normalized_ce', s), 1);
  });
  it('cross-entropy is not symmetric', () => {
    assert.ok(spread('cross_entropy') > 1);
  });
});

describe('Huber loss (Huber 1964)', () => {
  it('tends to the squared loss r^2/2 as delta -> infinity', () => {
    for (const r of [-3, 0.5, 40]) assertClose(valueOf('huber', { r }, { delta: 1e6 }), (r * r) / 2);
  });
  it('tends to delta |r| as delta -> 0, within delta^2 / 2', () => {
    const delta = 1e-4;
    for (const r of [-3, 0.5, 40]) assert.ok(Math.abs(valueOf('huber', { r }, { delta }) - delta * Math.abs(r)) <= (delta * delta) / 2 + 1e-15);
  });
});

describe('log-cosh', () => {
  it('is r^2/2 near 0 (the next term is -r^4/12)', () => {
    for (const r of [1e-3, -2e-3]) assert.ok(Math.abs(valueOf('log_cosh', { r }) - (r * r) / 2) <= r ** 4 / 12 + 1e-20);
  });
  it('is |r| - log 2 far away, and stays finite where cosh overflows', () => {
    for (const r of [30, -50, 1e4]) assertClose(valueOf('log_cosh', { r }), Math.abs(r) - Math.log(2), 1e-14);
  });
});

describe('pinball loss (Koenker & Bassett 1978)', () => {
  it('is half the absolute loss at tau = 1/2', () => {
    for (const r of [-2.5, -0.1, 0, 0.7, 9]) assertClose(valueOf('pinball', { r }, { tau: 0.5 }), Math.abs(r) / 2);
  });
});

describe('hinge smoothings', () => {
  const Z = [-3, -0.5, 0, 0.5, 0.99, 1, 1.01, 2];
  it('the smoothed hinge tends to the hinge as gamma -> 0, within gamma / 2 (Shalev-Shwartz & Zhang 2013)', () => {
    const gamma = 1e-6;
    for (const z of Z) assert.ok(Math.abs(valueOf('smoothed_hinge', { z }, { smooth_gamma: gamma }) - Math.max(0, 1 - z)) <= gamma / 2 + 1e-15);
  });
  it('softplus(beta u) / beta lies in [max(0, u), max(0, u) + log(2)/beta], with equality at u = 0', () => {
    for (const beta of [1, 5, 50]) {
      for (const z of Z) {
        const gap = valueOf('soft_hinge', { z }, { soft_beta: beta }) - Math.max(0, 1 - z);
        assert.ok(gap >= 0 && gap <= Math.log(2) / beta + 1e-15, `beta ${beta}, z ${z}: gap ${gap}`);
      }
      assertClose(valueOf('soft_hinge', { z: 1 }, { soft_beta: beta }), Math.log(2) / beta);
    }
  });
});

describe('preference losses: gradient weights', () => {
  const M = [-3, -0.2, 0, 0.4, 5];
  it('DPO: d/dm = -beta sigmoid(-beta m), the weight of a wrongly ordered pair (Rafailov et al. 2023)', () => {
    for (const m of M) assertClose(evaluate('dpo', { m }).grad.m as number, -0.1 * sigmoid(-0.1 * m));
  });
  it('IPO: d/dm = 2 (m - 1/(2 tau)), a regression onto the target margin (Azar et al. 2024)', () => {
    for (const m of M) assertClose(evaluate('ipo', { m }).grad.m as number, 2 * (m - 1 / (2 * 0.1)));
  });
  it('SimPO: d/dm = -beta sigmoid(gamma - beta m) (Meng, Xia & Chen 2024)', () => {
    for (const m of M) assertClose(evaluate('simpo', { m }).grad.m as number, -2 * sigmoid(1 - 2 * m));
  });
  it('RePO is the beta -> infinity limit of SimPO / beta with gamma / beta fixed (Wu et al. 2025)', () => {
    const beta = 1e4;
    for (const m of M) {
      const simpo = valueOf('simpo', { m }, { simpo_beta: beta, simpo_gamma: beta * 0.5 }) / beta;
      assert.ok(Math.abs(simpo - valueOf('repo', { m })) <= Math.log(2) / beta + 1e-12);
    }
  });
});

describe('divergences', () => {
  const PAIRS: [number[], number[]][] = [
    [
      [0.5, 0.3, 0.2],
      [0.2, 0.5, 0.3],
    ],
    [
      [0.98, 0.01, 0.01],
      [0.01, 0.01, 0.98],
    ],
    [
      [0.7, 0.3, 0],
      [0, 0.3, 0.7],
    ],
  ];
  it('Jensen-Shannon is at most log 2 (Lin 1991), with equality for disjoint supports', () => {
    for (const [p, q] of PAIRS) assert.ok(valueOf('js', { p, q }) <= Math.log(2));
    assertClose(valueOf('js', { p: [1, 0, 0], q: [0, 1, 0] }), Math.log(2));
  });
  it('KL follows 0 log 0 = 0', () => {
    assertClose(valueOf('kl', { p: [0.7, 0.3, 0], q: [0.5, 0.25, 0.25] }), 0.7 * Math.log(0.7 / 0.5) + 0.3 * Math.log(0.3 / 0.25));
  });
  it('Renyi tends to KL as alpha -> 1 and is twice the Bhattacharyya distance at alpha = 1/2', () => {
    for (const [p, q] of PAIRS.slice(0, 2)) {
      assertClose(valueOf('renyi', { p, q }, { renyi_alpha: 1 + 1e-7 }), valueOf('kl', { p, q }), 1e-5);
      assertClose(valueOf('renyi', { p, q }, { renyi_alpha: 0.5 }), 2 * valueOf('bhattacharyya', { p, q }));
    }
  });
  it('Tversky at alpha = beta = 1/2 is soft Dice (Salehi et al. 2017)', () => {
    const at = { p: [0.9, 0.2, 0.6], q: [1, 0, 1] };
    assertClose(valueOf('tversky', at, { tversky_alpha: 0.5, tversky_beta: 0.5 }), valueOf('soft_dice', at));
  });
});

describe('GAN discriminator (Goodfellow et al. 2014)', () => {
  it('where p_g = p_data the best discriminator is D = 1/2, with loss log 4: max_D V = -log 4', () => {
    // The discriminator's pointwise risk at one x: the same logit t on the real and the fake term.
    let best = { t: NaN, value: Infinity };
    for (let t = -3; t <= 3; t += 1e-3) {
      const value = valueOf('gan_discriminator', { a: t, b: t });
      if (value < best.value) best = { t, value };
    }
    assert.ok(Math.abs(best.t) < 1e-3, `argmin at t = ${best.t}`);
    assertClose(best.value, Math.log(4), 1e-6);
  });
  it('in general its gradient vanishes at D* = p_data / (p_data + p_g)', () => {
    const [pData, pG] = [0.3, 0.6];
    const t = Math.log(pData / pG);
    const g = evaluate('gan_discriminator', { a: t, b: t }).grad;
    assertClose(pData * (g.a as number) + pG * (g.b as number), 0);
  });
});

describe("Barron's general loss (Barron 2019): its special cases", () => {
  const R = [-4, -0.3, 0.8, 2.5];
  it('alpha = 2 is x^2 / 2 and alpha = 0 is log(x^2 / 2 + 1)', () => {
    for (const r of R) {
      assertClose(valueOf('barron', { r }, { barron_alpha: 2 }), (r * r) / 2);
      assertClose(valueOf('barron', { r }, { barron_alpha: 0 }), Math.log1p((r * r) / 2));
    }
  });
  it('alpha = 1 is the pseudo-Huber loss, alpha = -2 twice Geman-McClure at scale 2c, alpha -> -infinity Welsch', () => {
    for (const r of R) {
      assertClose(valueOf('barron', { r }, { barron_alpha: 1 }), valueOf('pseudo_huber', { r }, { pseudo_delta: 1 }));
      assertClose(valueOf('barron', { r }, { barron_alpha: -2 }), 2 * valueOf('geman_mcclure', { r }, { gm_c: 2 }));
      // Welsch with c = 1 is (1/2)(1 - exp(-x^2/2)); Barron's limit is twice that. The gap is O(1/|alpha|).
      assertClose(valueOf('barron', { r }, { barron_alpha: -1e6 }), 2 * valueOf('welsch', { r }, { welsch_c: 1 }), 1e-5);
    }
  });
});

describe('other identities', () => {
  it('the N-pair loss is InfoNCE at tau = 1 (Sohn 2016; van den Oord et al. 2018)', () => {
    for (const s of LOGITS) for (const y of CLASSES) assertClose(valueOf('npair', { s, y }), valueOf('infonce', { s, y }, { nce_tau: 1 }));
  });
  it('LDR-KL tends to the Crammer-Singer hinge (margin c = 1) as lambda -> 0, within lambda log K', () => {
    const lambda = 1e-4;
    for (const s of LOGITS) {
      for (const y of CLASSES) {
        const gap = valueOf('ldr_kl', { s, y }, { ldr_lambda: lambda }) - valueOf('crammer_singer', { s, y });
        assert.ok(gap <= 1e-12 && gap >= -lambda * Math.log(3) - 1e-12, `gap ${gap}`);
      }
    }
  });
  it('the Z-loss is invariant to shifting and scaling the logits (de Brébisson & Vincent 2016)', () => {
    for (const s of LOGITS) {
      for (const y of CLASSES) {
        assertClose(valueOf('z_loss', { s: s.map((x) => 3 * x - 7), y }), valueOf('z_loss', { s, y }), 1e-9);
      }
    }
  });
});
