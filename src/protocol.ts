/**
 * Every message between the extension host, the worker and the panel, declared once. Both ends
 * import these types; `isWebviewToHost` and `isWorkerToHost` check at run time what arrives,
 * because a webview or a crashed worker can send anything.
 */
import type { ExportTarget, Reduction } from './core/export/export';
import type { LossDiagnostic } from './core/lang/diagnostics';
import type { CheckReport } from './core/checks/report';

export type { CheckReport } from './core/checks/report';
export type { CheckResult, Verdict } from './core/checks/report';
export type { LossDiagnostic, SourceRange } from './core/lang/diagnostics';

import { BACKEND_NAMES, type BackendName } from './core/engine/executor';
export { BACKEND_NAMES, type BackendName } from './core/engine/executor';

import type { AnalyzeResult, CurvesResult, LossSummary, PointResult } from './core/results';
export type { AnalyzeResult, CurveSeries, CurvesResult, LossSummary, ParamSummary, PointResult } from './core/results';

import type { CompletionResult } from './core/editor/completion';
import type { SourcePosition } from './core/editor/document';
import type { HoverOptions, HoverResult } from './core/editor/hover';
import type { DefinitionLocation, PrepareRenameResult, RenameResult } from './core/editor/navigation';
import type { SignatureHelpResult } from './core/editor/signature';
import type { LossSymbol } from './core/editor/symbols';
export type { QuickFix, TextEdit } from './core/lang/diagnostics';
export type { CompletionItem, CompletionKind, CompletionResult } from './core/editor/completion';
export type { SourcePosition } from './core/editor/document';
export type { HoverOptions, HoverResult } from './core/editor/hover';
export type { DefinitionLocation, PrepareRenameResult, RenameResult } from './core/editor/navigation';
export type { SignatureHelpResult, SignatureInfo } from './core/editor/signature';
export type { LossSymbol } from './core/editor/symbols';

import type { LiveTraining } from './core/experiments/experiment';
import type { ExperimentReport } from './core/experiments/report';
import type { ExperimentSetupInput } from './core/experiments/setup';
export type { LiveTraining } from './core/experiments/experiment';
export type { ExperimentLandscape, ExperimentReport, ExperimentRun, ExperimentSummary } from './core/experiments/report';
export type { ExperimentSetupInput } from './core/experiments/setup';

// ---- host -> worker ---------------------------------------------------------------------

interface LossRequestBase {
  readonly id: number;
  /** Requests with the same view cancel each other: only the newest one is answered. */
  readonly view: string;
  readonly text: string;
  readonly loss: string;
  readonly params: Readonly<Record<string, number>>;
}

/**
 * A document as the editor holds it: the language features read the .loss text in it (all of a
 * .loss file, the loss comments of Python or TypeScript, the ```loss blocks of Markdown).
 */
interface DocumentRequestBase {
  readonly id: number;
  readonly view: string;
  readonly text: string;
  /** VS Code's language id: `loss` (the default of `analyze`), `python`, `markdown`, ... */
  readonly languageId: string;
}

type PositionRequest<T extends string> = DocumentRequestBase & { readonly type: T; readonly position: SourcePosition };

/** Requests about the text of a document, answered at once rather than queued behind evaluations. */
export type LanguageRequest =
  | (Omit<DocumentRequestBase, 'languageId'> & { readonly type: 'analyze'; readonly languageId?: string })
  | PositionRequest<'completion'>
  | PositionRequest<'signatureHelp'>
  | (PositionRequest<'hover'> & { readonly options: HoverOptions })
  | PositionRequest<'definition'>
  | PositionRequest<'prepareRename'>
  | (PositionRequest<'rename'> & { readonly newName: string })
  | (DocumentRequestBase & { readonly type: 'symbols' });

export const LANGUAGE_REQUEST_TYPES: readonly LanguageRequest['type'][] = [
  'analyze',
  'completion',
  'signatureHelp',
  'hover',
  'definition',
  'prepareRename',
  'rename',
  'symbols',
];

export type WorkerRequest =
  | LanguageRequest
  | (LossRequestBase & { readonly type: 'curves'; readonly points: number; readonly range?: readonly [number, number] })
  | (LossRequestBase & { readonly type: 'point'; readonly at: Readonly<Record<string, number | readonly number[]>> })
  | (LossRequestBase & { readonly type: 'check'; readonly only?: readonly string[] })
  /** Trains tiny models with the loss (and `with`: the file's or the library's losses); progress, cancellable. */
  | (LossRequestBase & { readonly type: 'experiment'; readonly with?: readonly string[]; readonly setup: ExperimentSetupInput })
  /** The loss as PyTorch, JAX, TensorFlow, NumPy or LaTeX code, with a header of verdicts. */
  | (LossRequestBase & { readonly type: 'export'; readonly target: ExportTarget; readonly reduction?: Reduction; readonly file: string })
  | { readonly type: 'cancel'; readonly id: number };

export type WorkerRequestType = Exclude<WorkerRequest['type'], 'cancel'>;

/**
 * What each request is answered with. Every answer is an object (the channel checks that), so
 * "nothing here" is an absent field: no completion outside a loss, no hover over a comment.
 */
export interface WorkerResults {
  readonly analyze: AnalyzeResult;
  readonly completion: { readonly completion?: CompletionResult };
  readonly signatureHelp: { readonly signatureHelp?: SignatureHelpResult };
  readonly hover: { readonly hover?: HoverResult };
  readonly definition: { readonly definition?: DefinitionLocation };
  readonly prepareRename: PrepareRenameResult;
  readonly rename: RenameResult;
  readonly symbols: { readonly symbols: readonly LossSymbol[] };
  readonly curves: CurvesResult;
  readonly point: PointResult;
  readonly check: CheckReport;
  readonly experiment: ExperimentReport;
  readonly export: { readonly code: string };
}

// ---- worker -> host ---------------------------------------------------------------------

export type WorkerMessage =
  | { readonly type: 'ready'; readonly backend: BackendName; readonly notice?: string }
  | { readonly type: 'result'; readonly id: number; readonly result: WorkerResults[WorkerRequestType] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string; readonly diagnostics?: readonly LossDiagnostic[] }
  | { readonly type: 'cancelled'; readonly id: number }
  /** `live`: an experiment's training curve so far, for the panel's live plot. */
  | { readonly type: 'progress'; readonly id: number; readonly fraction: number; readonly message: string; readonly live?: LiveTraining };

/** The data the worker starts with (`workerData`). */
export interface WorkerOptions {
  readonly backend?: BackendName;
}

// ---- host -> panel ----------------------------------------------------------------------

export type PanelStatus = 'computing' | 'ready' | 'stale' | 'failed';

export type HostToPanel =
  | { readonly type: 'loss'; readonly uri: string; readonly loss: LossSummary; readonly params: Readonly<Record<string, number>> }
  | { readonly type: 'curves'; readonly result: CurvesResult }
  | { readonly type: 'checks'; readonly report: CheckReport }
  | { readonly type: 'status'; readonly status: PanelStatus; readonly message?: string }
  | { readonly type: 'backend'; readonly backend: BackendName }
  /** Every run's training curve so far while an experiment trains; empty when one starts or stops without a result. */
  | { readonly type: 'experimentLive'; readonly live: readonly LiveTraining[] }
  | { readonly type: 'experiment'; readonly result: ExperimentReport }
  /** Significant digits of every read-out (the `losslab.readout.precision` setting). */
  | { readonly type: 'settings'; readonly readoutDigits: number };

// ---- panel -> host ----------------------------------------------------------------------

export type PanelToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'setParam'; readonly name: string; readonly value: number }
  | { readonly type: 'setRange'; readonly min: number; readonly max: number }
  | { readonly type: 'runChecks' }
  | { readonly type: 'runExperiment' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Run-time check of a message from the webview: anything else is dropped by the host. */
export function isPanelToHost(v: unknown): v is PanelToHost {
  if (!isRecord(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'runChecks':
    case 'runExperiment':
      return Object.keys(v).length === 1;
    case 'setParam':
      return typeof v.name === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(v.name) && isFiniteNumber(v.value);
    case 'setRange':
      return isFiniteNumber(v.min) && isFiniteNumber(v.max) && v.min < v.max;
    default:
      return false;
  }
}

function isLiveTraining(v: unknown): v is LiveTraining {
  return isRecord(v) && typeof v.loss === 'string' && typeof v.seed === 'number' && Array.isArray(v.train_loss);
}

/** Run-time check of a message from the worker thread. */
export function isWorkerMessage(v: unknown): v is WorkerMessage {
  if (!isRecord(v)) return false;
  switch (v.type) {
    case 'ready':
      return typeof v.backend === 'string' && (BACKEND_NAMES as readonly string[]).includes(v.backend);
    case 'result':
      return typeof v.id === 'number' && isRecord(v.result);
    case 'failed':
      return typeof v.id === 'number' && typeof v.message === 'string';
    case 'cancelled':
      return typeof v.id === 'number';
    case 'progress':
      return typeof v.id === 'number' && typeof v.fraction === 'number' && typeof v.message === 'string' && (v.live === undefined || isLiveTraining(v.live));
    default:
      return false;
  }
}
