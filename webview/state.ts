/**
 * The panel's one state object: what the host last said plus the slider values the user moved.
 * It is saved with `setState` after every change, so a reloaded webview draws at once, and it is
 * changed only by the pure functions below.
 */
import type { BackendName, CheckReport, CurvesResult, ExperimentReport, HostToPanel, LiveTraining, LossSummary, PanelStatus } from '../src/protocol';

export interface PanelState {
  readonly uri?: string;
  readonly loss?: LossSummary;
  readonly params: Readonly<Record<string, number>>;
  readonly curves?: CurvesResult;
  readonly checks?: CheckReport;
  readonly experiment?: ExperimentReport;
  /** The curves of the experiment running now, if one is. */
  readonly experimentLive?: readonly LiveTraining[];
  readonly status: PanelStatus;
  readonly message?: string;
  readonly backend?: BackendName;
  readonly readoutDigits?: number;
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
  checks: 'report',
  status: 'status',
  backend: 'backend',
  settings: 'readoutDigits',
  experimentLive: 'live',
  experiment: 'result',
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
        checks: same ? state.checks : undefined,
      };
    }
    case 'curves':
      return { ...state, curves: message.result, backend: message.result.backend };
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
      return { ...state, experiment: message.result, experimentLive: undefined };
  }
}

export function withParam(state: PanelState, name: string, value: number): PanelState {
  return { ...state, params: { ...state.params, [name]: value } };
}
