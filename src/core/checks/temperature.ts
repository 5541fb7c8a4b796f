/**
 * temperature: the two limits of a contrastive loss in its temperature tau (a param named `tau`
 * or `temperature`). As tau -> infinity every logit S / tau tends to 0 and the softmax over the
 * candidates to uniform: InfoNCE tends to log B. As tau -> 0, tau times the loss tends to the
 * max-margin (hard-negative) form: for InfoNCE, the mean over anchors of max_j S_ij - S_ii
 * (Wang & Liu 2021). The check evaluates both in float64 at seeded batches, on two temperatures
 * a decade apart at each end, and passes when both limits exist (the values settle). The large-tau
 * limit is named when it is log n for n = B, B - 1 or 2B - 1 (the candidates of InfoNCE and CLIP,
 * of SupCon-like losses, of NT-Xent).
 */
import type { Check, CheckContext } from './context';
import { evaluate64 } from './float64';
import { batchSize } from './permutation';
import type { CheckResult } from './report';
import { typicalSample } from './sampling';

const CITE = 'Wang & Liu 2021, "Understanding the Behaviour of Contrastive Loss" (tau -> 0: the max-margin form; tau -> infinity: uniform)';
const NAMES = ['tau', 'temperature'];
const POINTS = 8;
const HIGH = [1e7, 1e8];
const LOW = [1e-5, 1e-6];
/** Relative change between the two temperatures of an end under which the limit is reached. */
const SETTLED = 1e-4;

const settled = (a: number, b: number): boolean => Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= SETTLED * (1 + Math.abs(a));

async function checkTemperature({ loss, params }: CheckContext): Promise<CheckResult> {
  const tau = loss.params.find((p) => NAMES.includes(p.decl.name))?.decl.name;
  if (tau === undefined)
    return { id: 'temperature', verdict: 'inconclusive', summary: 'the loss has no temperature: no param named tau or temperature', metrics: {} };
  const sample = typicalSample(loss, POINTS, 41);
  const at = (t: number): Float64Array => {
    const [values] = evaluate64(loss, [loss.value], { ...params, [tau]: t }, POINTS, sample.values) as [Float64Array];
    return values;
  };
  const [h1, h2] = HIGH.map(at) as [Float64Array, Float64Array];
  const [l1, l2] = LOW.map(at) as [Float64Array, Float64Array];
  const overflow = [h1, h2, l1, l2].some((v) => v.some((x) => !Number.isFinite(x)));
  if (overflow) {
    return {
      id: 'temperature',
      verdict: 'inconclusive',
      summary: `the loss is not finite in float64 at ${tau} = ${[...HIGH, ...LOW].join(', ')} (as written: exp of logits over ${tau} overflows; logsumexp does not)`,
      metrics: {},
      cite: CITE,
    };
  }
  let high = true;
  let low = true;
  for (let p = 0; p < POINTS; p++) {
    high &&= settled(h1[p] as number, h2[p] as number);
    low &&= settled((l1[p] as number) * (LOW[0] as number), (l2[p] as number) * (LOW[1] as number));
  }
  const limitHigh = h2[0] as number;
  const limitLow = (l2[0] as number) * (LOW[1] as number);
  const metrics = { limit_large_tau: limitHigh, limit_tau_times_loss_small_tau: limitLow, points: POINTS };
  const size = batchSize(loss);
  const B = size === undefined ? undefined : loss.sizes.get(size);
  const named =
    B === undefined
      ? undefined
      : [
          [B, `log ${size} = log ${B}`],
          [B - 1, `log(${size} - 1) = log ${B - 1}`],
          [2 * B - 1, `log(2${size} - 1) = log ${2 * B - 1}`],
        ].find(([n]) => Math.abs(Math.log(n as number) - limitHigh) <= 1e-6 * Math.log(n as number))?.[1];
  const highText = `${tau} → ∞: the loss tends to ${limitHigh.toPrecision(6)}${named !== undefined ? ` = ${named as string} (uniform over the candidates)` : ''}`;
  const lowText = `${tau} → 0: ${tau} × loss tends to ${limitLow.toPrecision(6)} at the first batch (the max-margin form)`;
  if (high && low) return { id: 'temperature', verdict: 'pass', summary: `both limits exist: ${highText}; ${lowText}`, metrics, cite: CITE };
  const missing = [high ? undefined : `the loss does not settle as ${tau} → ∞`, low ? undefined : `${tau} × loss does not settle as ${tau} → 0`].filter(
    Boolean,
  );
  return {
    id: 'temperature',
    verdict: 'fail',
    summary: `${missing.join('; ')} (at ${tau} = ${HIGH.join(', ')} and ${LOW.join(', ')})`,
    metrics,
    witness: { large_tau: [h1[0] as number, h2[0] as number], tau_times_loss_small_tau: [(l1[0] as number) * (LOW[0] as number), limitLow] },
    cite: CITE,
  };
}

export const temperatureCheck: Check = {
  id: 'temperature',
  title: 'Temperature limits',
  applies: (kind) => kind === 'batch',
  run: checkTemperature,
};
