/**
 * Every message between the extension host, the worker and the panel, declared once. Both ends
 * import these types; `isPanelToHost` and `isWorkerMessage` check at run time what arrives,
 * because a webview or a crashed worker can send anything.
 */
import type { ExportTarget, Reduction } from './core/export/exportPlan';
import type { LossDiagnostic } from './core/lang/diagnostics';
import type { CheckReport } from './core/checks/report';
import type { LanguageLimits } from './core/lang/limits';
import type { RunLimits } from './core/runLimits';

export type { CheckReport } from './core/checks/report';
export type { CheckResult, Verdict } from './core/checks/report';
export type { LossDiagnostic, SourceRange } from './core/lang/diagnostics';

import { BACKEND_NAMES, type BackendName } from './core/engine/executor';
import type { KernelChoice } from './core/engine/kernelChoice';
import { isCurveDirection, type CurveDirection } from './core/engine/curveDirection';
export { curveDirections, DEFAULT_CURVE_DIRECTION, isCurveDirection, type CurveDirection } from './core/engine/curveDirection';
export { KERNEL_CHOICES, type KernelChoice } from './core/engine/kernelChoice';
export { BACKEND_NAMES, type BackendName } from './core/engine/executor';

import type { LandscapeResult } from './core/engine/landscape';
import type { BatchViewsResult } from './core/engine/batchViews';
export type { BatchViewsResult, PairGradient, PerSampleLoss } from './core/engine/batchViews';
export type { LandscapeAxis, LandscapeAxisOption, LandscapeResult } from './core/engine/landscape';

import type { AnalyzeResult, CurvesResult, LossSummary, ParamSummary, PointResult } from './core/results';
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
import { setupInputProblem } from './core/experiments/setupInput';
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
  /** `direction`: the line through logit space a multiclass loss's curves run along (absent: the true-class margin). */
  | (LossRequestBase & { readonly type: 'curves'; readonly points: number; readonly range?: readonly [number, number]; readonly direction?: CurveDirection })
  /** The loss over two axes (absent: the loss's default pair), `resolution` points per side. */
  | (LossRequestBase & {
      readonly type: 'landscape';
      readonly x?: string;
      readonly y?: string;
      readonly resolution: number;
      readonly inputRange?: readonly [number, number];
    })
  | (LossRequestBase & { readonly type: 'point'; readonly at: Readonly<Record<string, number | readonly number[]>> })
  /** A batch loss at its held batch: each sample's loss (bars) and the gradient over its B x B pairs (a heatmap). */
  | (LossRequestBase & { readonly type: 'batch' })
  | (LossRequestBase & { readonly type: 'check'; readonly only?: readonly string[] })
  /** Trains tiny models with the loss (and `with`: the file's or the library's losses); progress, cancellable. */
  | (LossRequestBase & { readonly type: 'experiment'; readonly with?: readonly string[]; readonly setup: ExperimentSetupInput })
  /** The loss as PyTorch, JAX, TensorFlow, NumPy or LaTeX code, with a header of verdicts. */
  | (LossRequestBase & { readonly type: 'export'; readonly target: ExportTarget; readonly reduction?: Reduction; readonly file: string })
  /** The library's losses with their families, for the panel's comparison picker. */
  | { readonly type: 'library'; readonly id: number; readonly view: string }
  /** The worker's heap and live tensors, for the diagnostics command and the leak tests. */
  | { readonly type: 'memory'; readonly id: number; readonly view: string }
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
  readonly landscape: LandscapeResult;
  readonly point: PointResult;
  readonly batch: BatchViewsResult;
  readonly check: CheckReport;
  readonly experiment: ExperimentReport;
  readonly export: { readonly code: string };
  readonly library: { readonly losses: readonly { readonly family: string; readonly loss: LossSummary }[] };
  readonly memory: WorkerMemory;
}

/** What the worker thread holds: its V8 heap, and TensorFlow.js's live tensors and their bytes. */
export interface WorkerMemory {
  readonly heapUsedBytes: number;
  readonly numTensors: number;
  readonly numBytes: number;
}

// ---- worker -> host ---------------------------------------------------------------------

export type WorkerMessage =
  /** `engine`: what runs the programs on that backend, e.g. 'fused-wasm (2 threads)' or 'tfjs'. */
  | { readonly type: 'ready'; readonly backend: BackendName; readonly engine?: string; readonly notice?: string }
  | { readonly type: 'result'; readonly id: number; readonly result: WorkerResults[WorkerRequestType] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string; readonly diagnostics?: readonly LossDiagnostic[] }
  | { readonly type: 'cancelled'; readonly id: number }
  /** `live`: an experiment's training curve so far, for the panel's live plot. */
  | { readonly type: 'progress'; readonly id: number; readonly fraction: number; readonly message: string; readonly live?: LiveTraining };

/** The data the worker starts with (`workerData`). */
export interface WorkerOptions {
  readonly backend?: BackendName;
  /** Fused WebAssembly kernels (the default) or TensorFlow.js alone: the `losslab.kernels` setting. */
  readonly kernels?: KernelChoice;
  /** The `losslab.limits.*` settings; each absent one keeps its default. */
  readonly limits?: Partial<Limits>;
}

/** Every limit with a setting: what the language reads, and what one request may cost. */
export type Limits = LanguageLimits & RunLimits;

// ---- host -> panel ----------------------------------------------------------------------

export type PanelStatus = 'computing' | 'ready' | 'stale' | 'failed';

export type HostToPanel =
  | { readonly type: 'loss'; readonly uri: string; readonly loss: LossSummary; readonly params: Readonly<Record<string, number>> }
  | { readonly type: 'curves'; readonly result: CurvesResult }
  | { readonly type: 'landscape'; readonly result: LandscapeResult }
  /** A batch loss's per-sample bars and pair-gradient heatmap, or why the newest evaluation failed. */
  | { readonly type: 'batch'; readonly batch: BatchView }
  | { readonly type: 'checks'; readonly report: CheckReport }
  | { readonly type: 'status'; readonly status: PanelStatus; readonly message?: string }
  | { readonly type: 'backend'; readonly backend: BackendName }
  /** Every run's training curve so far while an experiment trains; empty when one starts or stops without a result. */
  | { readonly type: 'experimentLive'; readonly live: readonly LiveTraining[] }
  | { readonly type: 'experiment'; readonly result: ExperimentReport }
  /** What the shown loss can be compared with in an experiment (the file's losses of its kind, the library's), and the form the host last ran. */
  | { readonly type: 'experimentChoices'; readonly choices: ExperimentChoices }
  /** Where the experiment of the shown loss stands: running (with its progress), cancelled or failed. */
  | { readonly type: 'experimentStatus'; readonly status: ExperimentStatus }
  /** Significant digits of every read-out (the `losslab.readout.precision` setting). */
  | { readonly type: 'settings'; readonly readoutDigits: number }
  /** The losses the shown one can be overlaid with (its kind), library and workspace. */
  | { readonly type: 'compareCandidates'; readonly candidates: readonly CompareCandidate[] }
  /** The overlay on the curves, or `false` when nothing is compared. */
  | { readonly type: 'compare'; readonly compare: ComparedCurves | false }
  /** Pinned: the panel stays on its loss; unpinned it follows the loss under the cursor. */
  | { readonly type: 'pinned'; readonly pinned: boolean };

/** The batch views of the newest evaluation, or its failure: the panel then marks the last ones stale. */
export type BatchView = { readonly result: BatchViewsResult } | { readonly failed: string };

/** A loss the shown one can be compared with; `id` is the host's name for it, sent back as it is. */
export interface CompareCandidate {
  readonly id: string;
  readonly loss: string;
  readonly source: 'library' | 'workspace';
  /** The library family, or the workspace file. */
  readonly detail: string;
}

/** The compared loss with its params, the values in use, and its curves on the shown loss's grid. */
export interface ComparedCurves {
  readonly id: string;
  readonly loss: string;
  readonly source: 'library' | 'workspace';
  readonly params: readonly ParamSummary[];
  readonly values: Readonly<Record<string, number>>;
  readonly curves?: CurvesResult;
  /** Why there are no curves (the compared loss failed), when there are none. */
  readonly message?: string;
}

/** What a view exports: a file the host saves (PNG as a base64 data URL), or text it copies. */
export type ExportFormat = 'png' | 'svg' | 'csv';

/** Upper bounds on what the webview may hand the host: a PNG of a wide plot is well under this. */
export const EXPORT_LIMITS = { fileChars: 16 * 1024 * 1024, clipboardChars: 256 * 1024, idChars: 2048 } as const;

export interface ExperimentChoices {
  /** The loss these are for: a message about another loss is not applied. */
  readonly loss: string;
  readonly file: readonly string[];
  readonly library: readonly string[];
  /** The setup and comparison the host last ran from the panel's form, if any. */
  readonly last?: { readonly setup: ExperimentSetupInput; readonly with: readonly string[] };
}

export type ExperimentStatus =
  | { readonly state: 'running'; readonly fraction: number; readonly message: string }
  | { readonly state: 'cancelled' }
  | { readonly state: 'failed'; readonly message: string };

/** A comparison names at most this many losses (the library has fewer of any one kind). */
export const MAX_COMPARED_LOSSES = 32;

// ---- panel -> host ----------------------------------------------------------------------

export type PanelToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'setParam'; readonly name: string; readonly value: number }
  | { readonly type: 'setRange'; readonly min: number; readonly max: number }
  /** The landscape's axes (names from its `options`) and points per side. */
  | { readonly type: 'setLandscape'; readonly x: string; readonly y: string; readonly resolution: number }
  | { readonly type: 'runChecks' }
  /** `setup` and `with` come from the panel's form; without them the host asks (the palette's way). */
  | { readonly type: 'runExperiment'; readonly setup?: ExperimentSetupInput; readonly with?: readonly string[] }
  | { readonly type: 'cancelExperiment' }
  /** Overlay the candidate with this id (from the last `compareCandidates`). */
  | { readonly type: 'compareWith'; readonly id: string }
  | { readonly type: 'setCompareParam'; readonly name: string; readonly value: number }
  | { readonly type: 'clearCompare' }
  /** Save a view: the host asks where, with a save dialog. `name` is a suggested base name. */
  | { readonly type: 'saveFile'; readonly format: ExportFormat; readonly name: string; readonly data: string }
  | { readonly type: 'copyText'; readonly text: string }
  | { readonly type: 'setPinned'; readonly pinned: boolean }
  /** The direction in logit space of a multiclass loss's curves (the host keeps one per loss). */
  | { readonly type: 'setDirection'; readonly direction: CurveDirection };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** An input or param name, or an entry of a vector or tensor input (`s[2]`, `z1[3, 5]`): what a landscape axis is called. */
const isLandscapeAxisName = (v: unknown): v is string =>
  typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,63}(\[[1-9][0-9]{0,3}(, [1-9][0-9]{0,3}){0,2}\])?$/.test(v);

/**
 * The fields each panel message may carry besides `type`: a message with any other key comes
 * from a confused or hostile sender and is refused whole. A type missing here is checked by its
 * case below alone.
 */
const PANEL_MESSAGE_FIELDS: Readonly<Partial<Record<PanelToHost['type'], readonly string[]>>> = {
  ready: [],
  setParam: ['name', 'value'],
  setRange: ['min', 'max'],
  setLandscape: ['x', 'y', 'resolution'],
  runChecks: [],
  runExperiment: ['setup', 'with'],
  cancelExperiment: [],
  compareWith: ['id'],
  setCompareParam: ['name', 'value'],
  clearCompare: [],
  saveFile: ['format', 'name', 'data'],
  copyText: ['text'],
  setPinned: ['pinned'],
  setDirection: ['direction'],
};

/** `__proto__`, `constructor`, `toString`, ...: never a param's name, and a key the host must not write. */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** A plain object with only its type's fields, and no `name` that would reach a prototype. */
function hasOnlyDeclaredFields(v: Record<string, unknown>): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  const fields = typeof v.type === 'string' && Object.hasOwn(PANEL_MESSAGE_FIELDS, v.type) ? PANEL_MESSAGE_FIELDS[v.type as PanelToHost['type']] : undefined;
  if (fields && !Object.keys(v).every((k) => k === 'type' || fields.includes(k))) return false;
  return !(typeof v.name === 'string' && PROTOTYPE_NAMES.has(v.name));
}

/** Run-time check of a message from the webview: anything else is dropped by the host. */
export function isPanelToHost(v: unknown): v is PanelToHost {
  if (!isRecord(v) || !hasOnlyDeclaredFields(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'runChecks':
    case 'cancelExperiment':
      return Object.keys(v).length === 1;
    case 'runExperiment':
      return isExperimentRequest(v);
    case 'setParam':
      return typeof v.name === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(v.name) && isFiniteNumber(v.value);
    case 'setRange':
      return isFiniteNumber(v.min) && isFiniteNumber(v.max) && v.min < v.max;
    case 'setLandscape':
      return (
        isLandscapeAxisName(v.x) &&
        isLandscapeAxisName(v.y) &&
        v.x !== v.y &&
        Number.isInteger(v.resolution) &&
        (v.resolution as number) >= 8 &&
        (v.resolution as number) <= 256
      );
    case 'compareWith':
      return typeof v.id === 'string' && v.id.length > 0 && v.id.length <= EXPORT_LIMITS.idChars;
    case 'setCompareParam':
      return typeof v.name === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(v.name) && isFiniteNumber(v.value);
    case 'clearCompare':
      return Object.keys(v).length === 1;
    case 'saveFile':
      return isSaveFile(v);
    case 'copyText':
      return typeof v.text === 'string' && v.text.length > 0 && v.text.length <= EXPORT_LIMITS.clipboardChars;
    case 'setPinned':
      return typeof v.pinned === 'boolean';
    case 'setDirection':
      return isCurveDirection(v.direction);
    default:
      return false;
  }
}

/** A file name without a path, and data that is what the format says: a PNG data URL, or text. */
function isSaveFile(v: Record<string, unknown>): boolean {
  if (typeof v.name !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(v.name) || v.name.startsWith('.')) return false;
  if (typeof v.data !== 'string' || v.data.length === 0 || v.data.length > EXPORT_LIMITS.fileChars) return false;
  switch (v.format) {
    case 'png':
      return /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(v.data);
    case 'svg':
      return v.data.startsWith('<svg');
    case 'csv':
      return true;
    default:
      return false;
  }
}

/** A form's experiment: only `setup` and `with`, the setup within the core's bounds, `with` distinct loss names. */
function isExperimentRequest(v: Record<string, unknown>): boolean {
  if (!Object.keys(v).every((k) => k === 'type' || k === 'setup' || k === 'with')) return false;
  if (v.setup !== undefined && setupInputProblem(v.setup) !== undefined) return false;
  if (v.with === undefined) return true;
  const names = v.with;
  return (
    Array.isArray(names) &&
    names.length <= MAX_COMPARED_LOSSES &&
    names.every((n) => typeof n === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(n)) &&
    new Set(names).size === names.length
  );
}

function isLiveTraining(v: unknown): v is LiveTraining {
  return isRecord(v) && typeof v.loss === 'string' && typeof v.seed === 'number' && Array.isArray(v.train_loss);
}

/**
 * The fields every worker message shares, checked before its type's own: an id is one the client
 * gave (a positive whole number), a fraction lies in [0, 1], a notice is text.
 */
function hasWellFormedWorkerFields(v: Record<string, unknown>): boolean {
  if (v.id !== undefined && !(Number.isSafeInteger(v.id) && (v.id as number) > 0)) return false;
  if (v.fraction !== undefined && !(isFiniteNumber(v.fraction) && v.fraction >= 0 && v.fraction <= 1)) return false;
  return v.notice === undefined || typeof v.notice === 'string';
}

/** Run-time check of a message from the worker thread. */
export function isWorkerMessage(v: unknown): v is WorkerMessage {
  if (!isRecord(v) || !hasWellFormedWorkerFields(v)) return false;
  switch (v.type) {
    case 'ready':
      return (
        typeof v.backend === 'string' &&
        (BACKEND_NAMES as readonly string[]).includes(v.backend) &&
        (v.engine === undefined || (typeof v.engine === 'string' && v.engine.length <= 64))
      );
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
