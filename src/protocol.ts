/**
 * Every message between the extension host, the worker and the panel, declared once. Both ends
 * import these types; `isWebviewToHost` and `isWorkerToHost` check at run time what arrives,
 * because a webview or a crashed worker can send anything.
 */
import type { LossDiagnostic } from './core/lang/diagnostics';
import type { CheckReport } from './core/checks/report';

export type { CheckReport } from './core/checks/report';
export type { CheckResult, Verdict } from './core/checks/report';
export type { LossDiagnostic, SourceRange } from './core/lang/diagnostics';

import { BACKEND_NAMES, type BackendName } from './core/engine/executor';
export { BACKEND_NAMES, type BackendName } from './core/engine/executor';

import type { AnalyzeResult, CurvesResult, LossSummary, PointResult } from './core/results';
export type { AnalyzeResult, CurveSeries, CurvesResult, LossSummary, ParamSummary, PointResult } from './core/results';

// ---- host -> worker ---------------------------------------------------------------------

interface LossRequestBase {
  readonly id: number;
  /** Requests with the same view cancel each other: only the newest one is answered. */
  readonly view: string;
  readonly text: string;
  readonly loss: string;
  readonly params: Readonly<Record<string, number>>;
}

export type WorkerRequest =
  | { readonly type: 'analyze'; readonly id: number; readonly view: string; readonly text: string }
  | (LossRequestBase & { readonly type: 'curves'; readonly points: number; readonly range?: readonly [number, number] })
  | (LossRequestBase & { readonly type: 'point'; readonly at: Readonly<Record<string, number | readonly number[]>> })
  | (LossRequestBase & { readonly type: 'check'; readonly only?: readonly string[] })
  | { readonly type: 'cancel'; readonly id: number };

export type WorkerRequestType = Exclude<WorkerRequest['type'], 'cancel'>;

export interface WorkerResults {
  readonly analyze: AnalyzeResult;
  readonly curves: CurvesResult;
  readonly point: PointResult;
  readonly check: CheckReport;
}

// ---- worker -> host ---------------------------------------------------------------------

export type WorkerMessage =
  | { readonly type: 'ready'; readonly backend: BackendName; readonly notice?: string }
  | { readonly type: 'result'; readonly id: number; readonly result: WorkerResults[WorkerRequestType] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string; readonly diagnostics?: readonly LossDiagnostic[] }
  | { readonly type: 'cancelled'; readonly id: number }
  | { readonly type: 'progress'; readonly id: number; readonly fraction: number; readonly message: string };

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
  | { readonly type: 'backend'; readonly backend: BackendName };

// ---- panel -> host ----------------------------------------------------------------------

export type PanelToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'setParam'; readonly name: string; readonly value: number }
  | { readonly type: 'setRange'; readonly min: number; readonly max: number }
  | { readonly type: 'runChecks' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Run-time check of a message from the webview: anything else is dropped by the host. */
export function isPanelToHost(v: unknown): v is PanelToHost {
  if (!isRecord(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'runChecks':
      return Object.keys(v).length === 1;
    case 'setParam':
      return typeof v.name === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(v.name) && isFiniteNumber(v.value);
    case 'setRange':
      return isFiniteNumber(v.min) && isFiniteNumber(v.max) && v.min < v.max;
    default:
      return false;
  }
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
      return typeof v.id === 'number' && typeof v.fraction === 'number' && typeof v.message === 'string';
    default:
      return false;
  }
}
