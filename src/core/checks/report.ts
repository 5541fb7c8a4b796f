/** The result of every check, in the shape of the command-line contract (PRODUCT.md). */
import type { Kind } from '../lang/kinds';

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export interface CheckResult {
  readonly id: string;
  readonly verdict: Verdict;
  readonly summary: string;
  readonly metrics: Readonly<Record<string, number>>;
  /** The inputs that prove a failure (or, for a pass, where the worst case was seen). */
  readonly witness?: Readonly<Record<string, number | string | readonly number[]>>;
  readonly cite?: string;
  /** The statistic a regression loss elicits (elicitation.ts): "mean", "median", "quantile", ... */
  readonly statistic?: string;
}

export interface CheckReport {
  readonly loss: string;
  readonly kind: Kind;
  readonly params: Readonly<Record<string, number>>;
  readonly checks: readonly CheckResult[];
}
