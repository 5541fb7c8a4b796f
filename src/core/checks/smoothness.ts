/**
 * smoothness: whether the loss is differentiable, with a continuous derivative (C^1), in its
 * variables with the labels held. Condition: at every sign change of a non-smooth op's switch on
 * seeded lines through the domain, and wherever the derivative is not finite, the one-sided
 * derivatives agree (onesided.ts). A corner, cusp or jump fails, with its location and the left
 * and right derivatives; a C^1 loss whose second derivative jumps (squared hinge, Huber) passes,
 * and the summary says where f'' jumps. One-sided derivatives: Rockafellar & Wets, 1998, ch. 8.
 */
import type { Check, CheckContext } from './context';
import { describeLine, linesThrough, pointOn, witnessNumber } from './domain';
import { curvatureJumps, findKinkCandidates, type KinkCandidate } from './onesided';
import type { CheckResult } from './report';
import { valuesOnLines } from './sections';

const CITE = '"Variational Analysis" (Rockafellar & Wets, 1998), ch. 8: one-sided derivatives';
const num = (x: number) => String(Number(x.toPrecision(4)));

const WHAT: Readonly<Record<'corner' | 'cusp' | 'jump', string>> = {
  corner: 'a kink',
  cusp: 'a cusp (the one-sided derivatives diverge)',
  jump: 'a jump (the loss is discontinuous)',
};

/** Distinct places, for a summary: 'z = 1' once, however many lines and labels found it. */
function places(cs: readonly KinkCandidate[], limit = 3): string {
  const texts = [...new Set(cs.map((c) => describeLine(c.line, c.t).at))];
  return texts.slice(0, limit).join('; ') + (texts.length > limit ? `; and ${texts.length - limit} more` : '');
}

async function checkSmoothness({ loss, params }: CheckContext): Promise<CheckResult> {
  const lines = linesThrough(loss, 11);
  const grid = valuesOnLines(loss, params, lines);
  const finite = grid.value.filter(Number.isFinite).length;
  const candidates = findKinkCandidates(loss, params, grid);
  const broken = candidates.filter((c) => c.kind === 'corner' || c.kind === 'cusp' || c.kind === 'jump');
  const undecided = candidates.filter((c) => c.kind === 'undecided');
  const metrics = { kinks: broken.length, switch_crossings: candidates.length, lines: lines.length, points: grid.points.length };
  if (finite === 0) return { id: 'smoothness', verdict: 'inconclusive', summary: 'the loss is not finite on any line through its domain', metrics, cite: CITE };
  if (broken.length > 0) {
    // The largest break is the clearest witness: a jump, then the widest derivative gap.
    const size = (c: KinkCandidate) => (c.kind === 'jump' ? Infinity : Math.abs(c.right - c.left));
    const worst = broken.reduce((a, b) => (size(b) > size(a) ? b : a));
    const kind = worst.kind as keyof typeof WHAT;
    const where = describeLine(worst.line, worst.t);
    const derivatives =
      kind === 'jump' ? `the loss jumps by ${num(worst.valueJump)}` : `left derivative ${num(worst.left)}, right derivative ${num(worst.right)}${where.along}`;
    return {
      id: 'smoothness',
      verdict: 'fail',
      summary: `not differentiable: ${WHAT[kind]} at ${where.at} (${derivatives}); found at ${places(broken)}`,
      metrics,
      witness: {
        ...pointOn(worst.line, worst.t),
        ...where.direction,
        kind,
        left_derivative: witnessNumber(worst.left),
        right_derivative: witnessNumber(worst.right),
        ...(kind === 'jump' ? { value_jump: worst.valueJump } : {}),
      },
      cite: CITE,
    };
  }
  if (undecided.length > 0) {
    return {
      id: 'smoothness',
      verdict: 'inconclusive',
      summary: `a non-smooth op switches at ${places(undecided)}, where the loss is not finite, so the one-sided derivatives cannot be read`,
      metrics,
      cite: CITE,
    };
  }
  const c2 = candidates.filter(curvatureJumps);
  const note =
    c2.length > 0
      ? `; C^1 but not C^2: the second derivative jumps at ${places(c2)} (${num((c2[0] as KinkCandidate).secondLeft)} to ${num((c2[0] as KinkCandidate).secondRight)})`
      : '';
  const checked = candidates.length > 0 ? `the one-sided derivatives agree at all ${candidates.length} switch crossings` : 'no non-smooth op switches';
  const total = grid.points.length;
  const skipped = finite < total ? `; the loss is not finite at ${total - finite} of ${total} points, which were left out` : '';
  return {
    id: 'smoothness',
    verdict: 'pass',
    summary: `differentiable (C^1) on ${lines.length} line${lines.length === 1 ? '' : 's'} through the domain: ${checked}${note}${skipped}`,
    metrics,
    cite: CITE,
  };
}

export const smoothnessCheck: Check = { id: 'smoothness', title: 'Smoothness (kinks)', applies: () => true, run: checkSmoothness };
