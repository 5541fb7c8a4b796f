/**
 * lipschitz: whether the loss is Lipschitz in its variables (labels held), and its constant
 * L = sup ||grad l|| (the Euclidean norm over all variables), with where it is attained or
 * approached. Condition: the gradient norm along rays to the edge of the domain (|z| up to 1e6,
 * p within 1e-12 of 0 and 1, logits up to 1e6, the faces of the simplex) settles; a norm that
 * keeps growing fails, with its rate. Shalev-Shwartz & Ben-David, "Understanding Machine
 * Learning" (2014), section 12.1 (convex-Lipschitz learning problems).
 */
import type { Check, CheckContext } from './context';
import { describePoint, pointOn, pointsIn, raysThrough, witnessNumber, type Line } from './domain';
import { fasterThan, tailOf, type Tail } from './growth';
import type { CheckResult } from './report';
import { supremumOf } from './extremes';
import { findKinkCandidates } from './onesided';
import { sectionNodes, valuesOnLines } from './sections';

const CITE = '"Understanding Machine Learning" (Shalev-Shwartz & Ben-David, 2014), section 12.1';
const num = (x: number) => String(Number(x.toPrecision(6)));

async function checkLipschitz({ loss, params }: CheckContext): Promise<CheckResult> {
  const nodes = sectionNodes(loss);
  const rays = raysThrough(loss, 21);
  const lines: Line[] = [...rays, ...pointsIn(loss, 22, 32)];
  const grid = valuesOnLines(loss, params, lines, [nodes.gradientNormSquared, nodes.gradientNormSquaredSlope]);
  const { points, offsets, value } = grid;
  const [normSquared, slope] = grid.extra as [Float64Array, Float64Array];
  // Where the loss itself is not finite (overflow, outside its domain) its gradient says nothing.
  const norm = Float64Array.from(normSquared, (n, r) => (Number.isFinite(value[r]) ? Math.sqrt(n) : NaN));
  const along = (l: number) => norm.subarray(offsets[l] as number, (offsets[l] as number) + (lines[l] as Line).ts.length);

  const tails = rays.map((ray, l) => ({ ray, l, tail: tailOf(ray.edge, Array.from(along(l)), ray.edgeName) }));
  const diverging = tails.filter((t): t is typeof t & { tail: Extract<Tail, { kind: 'diverges' }> } => t.tail.kind === 'diverges' && t.tail.sign > 0);
  const metrics: Record<string, number> = { rays: rays.length, points: points.length };
  // A loss that jumps is not Lipschitz, nor one whose derivative diverges at a cusp, though its gradient may be bounded elsewhere.
  const broken = findKinkCandidates(loss, params, grid).find((c) => c.kind === 'jump' || c.kind === 'cusp');
  if (broken) {
    const at = pointOn(broken.line, broken.t);
    const what = broken.kind === 'jump' ? `the loss jumps by ${num(broken.valueJump)}` : 'the derivative diverges (a cusp)';
    return {
      id: 'lipschitz',
      verdict: 'fail',
      summary: `not Lipschitz: ${what} at ${describePoint(at)}`,
      metrics,
      witness: {
        ...at,
        ...(broken.kind === 'jump'
          ? { value_jump: broken.valueJump }
          : { left_derivative: witnessNumber(broken.left), right_derivative: witnessNumber(broken.right) }),
      },
      cite: CITE,
    };
  }
  if (diverging.length > 0) {
    const worst = diverging.reduce((a, b) => (fasterThan(b.tail, a.tail) ? b : a));
    const ns = along(worst.l);
    let i = ns.length - 1;
    while (i > 0 && !Number.isFinite(ns[i])) i--;
    const at = pointOn(worst.ray, worst.ray.ts[i] as number);
    return {
      id: 'lipschitz',
      verdict: 'fail',
      summary: `not Lipschitz: the gradient norm grows ${worst.tail.rate} as ${worst.ray.towards} (${num(ns[i] as number)} at ${describePoint(at)})`,
      metrics,
      witness: { ...at, gradient_norm: ns[i] as number, growth: worst.tail.rate, towards: worst.ray.towards },
      cite: CITE,
    };
  }
  const undecided = tails.find((t) => t.tail.kind === 'undecided');
  if (undecided) {
    return {
      id: 'lipschitz',
      verdict: 'inconclusive',
      summary: `the gradient norm neither settles nor grows as ${undecided.ray.towards}: ${(undecided.tail as { reason: string }).reason}`,
      metrics,
      cite: CITE,
    };
  }

  const sup = supremumOf(
    loss,
    params,
    { lines, rayCount: rays.length, offsets, q: norm, dq: slope, tails: tails.map((t) => t.tail) },
    nodes.gradientNormSquared,
    Math.sqrt,
    1,
  );
  if (!sup) return { id: 'lipschitz', verdict: 'inconclusive', summary: 'the gradient is not finite anywhere the loss is', metrics, cite: CITE };
  if (sup.blowsUp) {
    const near = describePoint(sup.blowsUp.near, '→');
    return {
      id: 'lipschitz',
      verdict: 'fail',
      summary: `not Lipschitz: the gradient norm grows ${sup.blowsUp.rate} as ${near}`,
      metrics,
      witness: { ...sup.blowsUp.near, growth: sup.blowsUp.rate, towards: near },
      cite: CITE,
    };
  }
  metrics.lipschitz = sup.value;
  const how = sup.approached ? `approached as ${sup.approached.towards}` : `attained at ${describePoint(pointOn(sup.line, sup.t))}`;
  return {
    id: 'lipschitz',
    verdict: 'pass',
    summary: `Lipschitz with L = ${num(sup.value)} (the supremum of the gradient norm), ${how}`,
    metrics,
    witness: { ...pointOn(sup.line, sup.t), ...(sup.approached ? { approached_as: sup.approached.towards } : {}) },
    cite: CITE,
  };
}

export const lipschitzCheck: Check = { id: 'lipschitz', title: 'Lipschitz constant', applies: () => true, run: checkLipschitz };
