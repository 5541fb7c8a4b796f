/**
 * Kinds decide how a loss's inputs are sampled and which checks apply (README, the kinds' table).
 * The input roles say what each argument is, so that samplers and curves know its domain.
 */
import type { DataDomain, Dim } from './tensorDecls';

export const KINDS = ['margin', 'probability', 'multiclass', 'regression', 'distribution', 'pairwise', 'batch'] as const;
export type Kind = (typeof KINDS)[number];

export function isKind(text: string): text is Kind {
  return (KINDS as readonly string[]).includes(text);
}

/**
 * - `real`: a real number (margin z, residual r, prediction yhat, target y of regression, pairwise m)
 * - `probability`: a number in (0, 1)
 * - `binaryLabel`: y in {0, 1}
 * - `logits`: a vector of K real scores
 * - `classIndex`: a class in {1..K}, 1-based as in mathjs indexing
 * - `simplex`: a probability vector of K entries
 * - `tensor`: real entries in the shape `dims` says (a batch loss's embeddings, logits, boxes)
 * - `labels`: class labels in {1..K} in the shape `dims` says
 * - `data`: real entries the loss reads but is not differentiated for (targets, masks, signs)
 */
export type InputRole = 'real' | 'probability' | 'binaryLabel' | 'logits' | 'classIndex' | 'simplex' | 'tensor' | 'labels' | 'data';

export interface InputSpec {
  readonly name: string;
  readonly role: InputRole;
  /** For `tensor` and `labels`: the dimensions as declared (size names, K, numbers). */
  readonly dims?: readonly Dim[];
  /** For `data` and `tensor`: where its values lie (`in {0, 1}`, `in [0, 1]`, `in (0, 1)`, `positive`, `boxes`), when declared. */
  readonly domain?: DataDomain;
}

export function isVectorRole(role: InputRole): boolean {
  return role === 'logits' || role === 'simplex';
}

export function isTensorRole(role: InputRole): boolean {
  return role === 'tensor' || role === 'labels' || role === 'data';
}

/** Labels are data, not variables: LossLab never differentiates with respect to them. */
export function isDifferentiableRole(role: InputRole): boolean {
  return role !== 'binaryLabel' && role !== 'classIndex' && role !== 'labels' && role !== 'data';
}

/** The kind that argument names suggest, following the README's table of kinds. */
export function inferKind(args: readonly string[]): Kind | undefined {
  const sig = args.join(',');
  switch (sig) {
    case 'z':
      return 'margin';
    case 'p':
    case 'p,y':
      return 'probability';
    case 's,y':
      return 'multiclass';
    case 'r':
    case 'yhat,y':
      return 'regression';
    case 'p,q':
      return 'distribution';
    case 'm':
      return 'pairwise';
    default:
      return undefined;
  }
}

/** Each argument's role under a kind, or a message saying which signature the kind expects. */
export function assignRoles(kind: Kind, args: readonly string[]): { ok: true; inputs: InputSpec[] } | { ok: false; message: string } {
  const n = args.length;
  const roles = (...r: InputRole[]): { ok: true; inputs: InputSpec[] } => ({
    ok: true,
    inputs: args.map((name, i) => ({ name, role: r[i] ?? 'real' })),
  });
  switch (kind) {
    case 'margin':
      return n === 1 ? roles('real') : { ok: false, message: 'a margin loss takes one argument, the margin z = y*f(x): phi(z)' };
    case 'probability':
      if (n === 1) return roles('probability');
      if (n === 2) return roles('probability', 'binaryLabel');
      return { ok: false, message: 'a probability loss takes l(p) or l(p, y) with p in (0,1) and y in {0,1}' };
    case 'multiclass':
      return n === 2 ? roles('logits', 'classIndex') : { ok: false, message: 'a multiclass loss takes l(s, y): logits s and a class y' };
    case 'regression':
      if (n === 1) return roles('real');
      if (n === 2) return roles('real', 'real');
      return { ok: false, message: 'a regression loss takes l(r) with r = y - yhat, or l(yhat, y)' };
    case 'distribution':
      return n === 2 ? roles('simplex', 'simplex') : { ok: false, message: 'a distribution loss takes D(p, q) over probability vectors' };
    case 'pairwise':
      return n >= 1 ? roles(...args.map((): InputRole => 'real')) : { ok: false, message: 'a pairwise loss takes at least one score or margin' };
    case 'batch':
      // The roles come from the @shape and @labels lines (check.ts); an undeclared argument is a real number.
      return roles(...args.map((): InputRole => 'real'));
  }
}
