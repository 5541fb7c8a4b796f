/**
 * The panel's one state object: what the host last said plus the slider values the user moved.
 * It is saved with `setState` after every change, so a reloaded webview draws at once, and it is
 * changed only by the pure functions below.
 */
import type { BackendName, CheckReport, CurvesResult, ExperimentReport, HostToPanel, LiveTraining, LossSummary, PanelStatus } from '../src/protocol';
import type { ExperimentChoices, ExperimentStatus } from '../src/protocol';
import type { ExperimentForm } from './experimentSetupForm';
import type { CompareCandidate, ComparedCurves } from '../src/protocol';
import type { BatchViewsResult, LandscapeResult } from '../src/protocol';
import { forOtherLoss, type CurvesView } from './curvesView';

export interface PanelState {
  readonly uri?: string;
  readonly loss?: LossSummary;
  readonly params: Readonly<Record<string, number>>;
  readonly curves?: CurvesResult;
  /** The loss over two axes (a heatmap with contours), coarse while a slider moves. */
  readonly landscape?: LandscapeResult;
  /** A batch loss's per-sample bars and pair-gradient heatmap, from the last evaluation that succeeded. */
  readonly batch?: BatchViewsResult;
  /** Why the newest batch evaluation failed: the views above are then stale. */
  readonly batchFailed?: string;
  readonly checks?: CheckReport;
  readonly experiment?: ExperimentReport;
  /** The curves of the experiment running now, if one is. */
  readonly experimentLive?: readonly LiveTraining[];
  /** What the experiment form offers to compare the shown loss with. */
  readonly experimentChoices?: ExperimentChoices;
  /** The experiment running, or how the last one stopped without a result. */
  readonly experimentStatus?: ExperimentStatus;
  /** The experiment form as the user left it. */
  readonly experimentForm?: ExperimentForm;
  readonly status: PanelStatus;
  readonly message?: string;
  readonly backend?: BackendName;
  readonly readoutDigits?: number;
  /** How the curves are looked at (series shown, y scale, zoom, cursor): the panel's own. */
  readonly curvesView?: CurvesView;
  /** What the shown loss can be compared with, and the comparison drawn now. */
  readonly compareCandidates?: readonly CompareCandidate[];
  readonly compare?: ComparedCurves;
  /** Pinned: the panel stays on its loss instead of following the cursor. */
  readonly pinned?: boolean;
}

export const EMPTY_STATE: PanelState = { params: {}, status: 'ready' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A saved state from an older version may not fit: then start empty, the host re-sends all. */
export function restoreState(saved: unknown): PanelState {
  if (!isRecord(saved) || !isRecord(saved.params) || typeof saved.status !== 'string') return EMPTY_STATE;
  return saved as unknown as PanelState;
}

const PAYLOAD: Readonly<Record<HostToPanel['type'], string>> = {
  loss: 'loss',
  curves: 'result',
  landscape: 'result',
  batch: 'batch',
  checks: 'report',
  status: 'status',
  backend: 'backend',
  settings: 'readoutDigits',
  experimentLive: 'live',
  experiment: 'result',
  compareCandidates: 'candidates',
  compare: 'compare',
  pinned: 'pinned',
  experimentChoices: 'choices',
  experimentStatus: 'status',
};

/** Only the shape the switch below relies on: the host is trusted, the channel is not typed. */
export function isHostToPanel(v: unknown): v is HostToPanel {
  if (!isRecord(v) || typeof v.type !== 'string' || !Object.hasOwn(PAYLOAD, v.type)) return false;
  const payload = PAYLOAD[v.type as HostToPanel['type']];
  return v[payload] !== undefined && v[payload] !== null;
}

export function applyHostMessage(state: PanelState, message: HostToPanel): PanelState {
  switch (message.type) {
    case 'loss': {
      // Another loss: its curves and report are not this one's. The same loss edited: keep them
      // until new ones arrive, so the plot does not flicker while typing.
      const same = state.uri === message.uri && state.loss?.name === message.loss.name;
      return {
        ...state,
        uri: message.uri,
        loss: message.loss,
        params: message.params,
        curves: same ? state.curves : undefined,
        landscape: same ? state.landscape : undefined,
        batch: same ? state.batch : undefined,
        batchFailed: same ? state.batchFailed : undefined,
        checks: same ? state.checks : undefined,
        ...(same ? {} : otherLossView(state)),
      };
    }
    case 'curves':
      return { ...state, curves: message.result, backend: message.result.backend };
    case 'landscape':
      return { ...state, landscape: message.result };
    case 'batch':
      return 'result' in message.batch ? { ...state, batch: message.batch.result, batchFailed: undefined } : { ...state, batchFailed: message.batch.failed };
    case 'checks':
      return { ...state, checks: message.report };
    case 'status':
      return { ...state, status: message.status, message: message.message };
    case 'backend':
      return { ...state, backend: message.backend };
    case 'settings':
      return { ...state, readoutDigits: message.readoutDigits };
    case 'experimentLive':
      // Empty: an experiment has started or stopped without a result; nothing is training.
      return { ...state, experimentLive: message.live.length > 0 ? message.live : undefined };
    case 'experiment':
      return { ...state, experiment: message.result, experimentLive: undefined, experimentStatus: undefined };
    case 'experimentChoices':
      return { ...state, experimentChoices: message.choices };
    case 'experimentStatus':
      return { ...state, experimentStatus: message.status };
    case 'compareCandidates':
      return { ...state, compareCandidates: message.candidates };
    case 'compare': {
      const { compare: _dropped, ...rest } = state;
      return message.compare === false ? rest : { ...state, compare: message.compare };
    }
    case 'pinned':
      return { ...state, pinned: message.pinned };
  }
}

/** Another loss: its zoom, witness cursor and comparison were about the one before. */
function otherLossView(state: PanelState): Partial<PanelState> {
  const view = state.curvesView;
  return { compare: undefined, compareCandidates: undefined, ...(view ? { curvesView: forOtherLoss(view) } : {}) };
}

export function withCurvesView(state: PanelState, curvesView: CurvesView): PanelState {
  return { ...state, curvesView };
}

export function withExperimentForm(state: PanelState, form: ExperimentForm): PanelState {
  return { ...state, experimentForm: form };
}

export function withParam(state: PanelState, name: string, value: number): PanelState {
  return { ...state, params: { ...state.params, [name]: value } };
}
