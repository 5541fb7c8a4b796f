/** The answers the core gives to the editor, the panel and the CLI (re-exported by protocol.ts). */
import type { BackendName } from './engine/executor';
import type { CurveDirection } from './engine/curveDirection';
import type { LossDiagnostic, SourceRange } from './lang/diagnostics';
import type { InputSpec, Kind } from './lang/kinds';

export interface ParamSummary {
  readonly name: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
}

/** A loss as the editor and panel see it: where it is and what it takes. */
export interface LossSummary {
  readonly name: string;
  readonly kind: Kind;
  readonly inputs: readonly InputSpec[];
  readonly params: readonly ParamSummary[];
  readonly classes: number;
  readonly cite?: string;
  /** One line saying what the loss is (`@describe`). */
  readonly description?: string;
  /** The definition line, for the CodeLens and for following the cursor. */
  readonly range: SourceRange;
}

export interface AnalyzeResult {
  readonly diagnostics: readonly LossDiagnostic[];
  readonly losses: readonly LossSummary[];
}

/** One curve over the loss's input axis: value, first and second derivative along it. */
export interface CurveSeries {
  readonly label: string;
  readonly value: readonly number[];
  readonly first: readonly number[];
  readonly second: readonly number[];
}

export interface CurvesResult {
  readonly loss: string;
  readonly kind: Kind;
  readonly backend: BackendName;
  /** What computed them on that backend: 'fused-wasm' for LossLab's kernels; absent for TensorFlow.js. */
  readonly engine?: string;
  readonly params: Readonly<Record<string, number>>;
  /** The input the curves run over (`z`, `p`, or `t` along a direction for vector inputs). */
  readonly axis: { readonly name: string; readonly label: string; readonly values: readonly number[] };
  readonly curves: readonly CurveSeries[];
  readonly latex: { readonly formula: string; readonly derivative: string; readonly derivativeOf: string };
  /** The direction in logit space a multiclass loss's curves run along, when one was asked for. */
  readonly direction?: CurveDirection;
  readonly elapsedMs: number;
}

export interface PointResult {
  readonly loss: string;
  readonly kind: Kind;
  /** The tensor backend of a float32 evaluation, or 'float64' for LossLab's float64 reference. */
  readonly backend: BackendName | 'float64';
  readonly precision: 'float64' | 'float32';
  /** The input it was evaluated at: the caller's values, and each input's default for the rest. */
  readonly at: Readonly<Record<string, number | readonly number[]>>;
  readonly params: Readonly<Record<string, number>>;
  readonly value: number;
  readonly grad: Readonly<Record<string, number | readonly number[]>>;
}
