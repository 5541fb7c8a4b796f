/** The result of every check, in the shape of the command-line contract (README, Command line). */
import type { Kind } from '../lang/kinds';

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** A small explanatory plot: series over one axis. Non-finite values are gaps (null in JSON). */
export interface CheckPlot {
  readonly title: string;
  readonly x: { readonly label: string; readonly values: readonly number[] };
  readonly series: readonly { readonly label: string; readonly values: readonly number[] }[];
}

export interface CheckResult {
  readonly id: string;
  readonly verdict: Verdict;
  readonly summary: string;
  readonly metrics: Readonly<Record<string, number>>;
  /** The inputs that prove a failure (or, for a pass, where the worst case was seen). */
  readonly witness?: Readonly<Record<string, number | string | readonly number[]>>;
  readonly cite?: string;
  /** The curve that explains the verdict (e.g. the psi-transform), drawn by the panel. */
  readonly plot?: CheckPlot;
  /** The statistic a regression loss elicits (elicitation.ts): "mean", "median", "quantile", ... */
  readonly statistic?: string;
}

export interface CheckReport {
  readonly loss: string;
  readonly kind: Kind;
  readonly params: Readonly<Record<string, number>>;
  readonly checks: readonly CheckResult[];
}
