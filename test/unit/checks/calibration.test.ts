/**
 * calibration against the psi-transforms of Bartlett, Jordan & McAuliffe (2006), "Convexity,
 * Classification, and Risk Bounds" (section 2, examples), with theta = 2*eta - 1. Where a loss is
 * not one of the paper's examples, the test derives H and H^- in a comment.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calibrationCheck, lowerConvexEnvelope, psiTransform } from '../../../src/core/checks/calibration';
import { float64Context } from './float64Context';

const THETAS = [0.25, 0.5, 0.75];
/** The psi values follow from minima found numerically; they match the closed forms to this. */
const TOLERANCE = 1e-9;

async function assertPsi(text: string, psi: (theta: number) => number): Promise<void> {
  const r = await calibrationCheck.run(float64Context(text));
  assert.equal(r.verdict, 'pass', r.summary);
  for (const theta of THETAS) {
    const got = r.metrics[`psi@${theta}`];
    assert.ok(got !== undefined && Math.abs(got - psi(theta)) <= TOLERANCE, `psi(${theta}) = ${got}, expected ${psi(theta)}`);
  }
  assert.ok(r.cite?.includes('Bartlett'));
}

describe('calibration: published psi-transforms', () => {
  it('hinge max(0, 1 - z): psi(theta) = |theta| (Bartlett et al. 2006, hinge example)', async () => {
    await assertPsi('hinge(z) = max(0, 1 - z)', (t) => Math.abs(t));
  });

  it('exponential exp(-z): psi(theta) = 1 - sqrt(1 - theta^2) (Bartlett et al. 2006, exponential example)', async () => {
    await assertPsi('expo(z) = exp(-z)', (t) => 1 - Math.sqrt(1 - t * t));
  });

  it('logistic log(1 + exp(-z)): psi(theta) = (1+theta)/2 log(1+theta) + (1-theta)/2 log(1-theta) (Bartlett et al. 2006, logistic example)', async () => {
    await assertPsi('logistic(z) = softplus(-z)', (t) => ((1 + t) / 2) * Math.log(1 + t) + ((1 - t) / 2) * Math.log(1 - t));
  });

  it('squared (1 - z)^2: psi(theta) = theta^2 (Bartlett et al. 2006, quadratic example)', async () => {
    await assertPsi('squared(z) = (1 - z)^2', (t) => t * t);
  });

  it('truncated quadratic max(0, 1 - z)^2: psi(theta) = theta^2 (Bartlett et al. 2006, truncated quadratic example)', async () => {
    await assertPsi('truncated(z) = max(0, 1 - z)^2', (t) => t * t);
  });

  // C_eta(a) = eta(1 - tanh a) + (1 - eta)(1 + tanh a) = 1 - theta tanh(a): H = 1 - theta, approached
  // only as a -> infinity, and H^- = 1 at a = 0, so psi~(theta) = theta, already convex.
  it('sigmoid 1 - tanh(z), non-convex: psi(theta) = |theta| (Bartlett et al. 2006, sigmoid example)', async () => {
    await assertPsi('sigmoid_loss(z) = 1 - tanh(z)', (t) => Math.abs(t));
  });

  // phi = 1 for z <= 0, 1 - z on [0, 1], 0 beyond: for eta > 1/2, H = 1 - eta (any a >= 1) and
  // H^- = eta (any a <= -1), so psi~(theta) = 2*eta - 1 = theta.
  it('ramp min(1, max(0, 1 - z)), non-convex and flat in places: calibrated with psi(theta) = |theta| (derived from Bartlett et al. 2006, Definition 1)', async () => {
    await assertPsi('ramp(z) = min(1, max(0, 1 - z))', (t) => Math.abs(t));
  });

  // With s = sigmoid(a), C_eta = eta(1 - s)^2 + (1 - eta)s^2 is least at s = eta: H = eta(1 - eta)
  // (Masnadi-Shirazi & Vasconcelos 2008); H^- = phi(0) = 1/4, so psi(theta) = theta^2/4.
  it('Savage 1/(1 + exp(z))^2, non-convex: psi(theta) = theta^2/4 (Masnadi-Shirazi & Vasconcelos 2008)', async () => {
    await assertPsi('savage(z) = 1 / (1 + exp(z))^2', (t) => (t * t) / 4);
  });

  it('exponential and logistic: psi~ matches the closed form at every theta of the grid, including theta = 1 where H is approached only as a -> infinity', () => {
    const cases = [
      { text: 'expo(z) = exp(-z)', psi: (t: number) => 1 - Math.sqrt(1 - t * t) },
      { text: 'logistic(z) = softplus(-z)', psi: (t: number) => (t === 1 ? Math.log(2) : ((1 + t) / 2) * Math.log(1 + t) + ((1 - t) / 2) * Math.log(1 - t)) },
    ];
    for (const { text, psi } of cases) {
      const t = psiTransform(float64Context(text));
      t.thetas.forEach((theta, k) => {
        assert.ok(Math.abs((t.psiTilde[k] as number) - psi(theta)) <= TOLERANCE, `${text}: psi~(${theta}) = ${t.psiTilde[k]}, expected ${psi(theta)}`);
        assert.ok((t.truncation[k] as number) <= 1e-12, `${text}: truncation at theta = ${theta} is ${t.truncation[k]}`);
      });
    }
  });

  it('states the range of scores and the truncation in its summary', async () => {
    const r = await calibrationCheck.run(float64Context('logistic(z) = softplus(-z)'));
    assert.match(r.summary, /\|a\| <= 8\.1e\+4/);
    assert.match(r.summary, /falls by less than 1e-12/);
  });
});

describe('calibration: failures and undecidable losses', () => {
  // C_eta(a) = eta max(0, -a) + (1 - eta) max(0, a) is 0 at a = 0 for every eta: H^- = H = 0.
  // Bartlett et al. (2006): a convex phi is calibrated if and only if phi'(0) exists and is negative;
  // max(0, -z) has no derivative at 0.
  it('perceptron max(0, -z) is not calibrated: H^-(eta) = H(eta) = 0 at a = 0 (Bartlett et al. 2006)', async () => {
    const r = await calibrationCheck.run(float64Context('perceptron(z) = max(0, -z)'));
    assert.equal(r.verdict, 'fail');
    const w = r.witness ?? {};
    assert.ok(typeof w.eta === 'number' && w.eta > 0.5 && w.eta <= 1, `witness eta ${String(w.eta)}`);
    assert.equal(w.H, 0);
    assert.equal(w.H_minus, 0);
    assert.equal(r.metrics['psi@0.5'], 0);
  });

  it('is inconclusive, with the reason, when phi is undefined somewhere on R', async () => {
    const r = await calibrationCheck.run(float64Context('logz(z) = log(z)'));
    assert.equal(r.verdict, 'inconclusive');
    assert.match(r.summary, /undefined/);
  });

  it('says the psi values are lower bounds when the risk still falls at the largest score (phi = 1/(1 + z) for z > 0 decays like 1/z)', async () => {
    const r = await calibrationCheck.run(float64Context('slow(z) = 1 / (1 + max(0, z))'));
    assert.equal(r.verdict, 'pass');
    assert.match(r.summary, /lower bounds/);
    assert.ok((r.metrics.truncation ?? 0) > 1e-6);
  });
});

describe('lowerConvexEnvelope', () => {
  it('is the function itself on convex points and the chord under a bump', () => {
    assert.deepEqual(lowerConvexEnvelope([0, 0.5, 1], [0, 0.25, 1]), [0, 0.25, 1]);
    assert.deepEqual(lowerConvexEnvelope([0, 0.5, 1], [0, 0.8, 1]), [0, 0.5, 1]);
  });
});
