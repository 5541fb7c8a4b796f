/**
 * The webview's side of the channel to the extension host. `acquireVsCodeApi` may be called only
 * once per load, so it is called here and nowhere else.
 */
import type { PanelToHost } from '../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function postToHost(message: PanelToHost): void {
  api.postMessage(message);
}

/** What the last load saved, unchecked: the caller validates it. */
export function loadSavedState(): unknown {
  return api.getState();
}

export function saveState(state: unknown): void {
  api.setState(state);
}
