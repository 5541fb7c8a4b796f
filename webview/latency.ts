/**
 * How long the panel takes to answer a slider: the time from the `input` event to the frame
 * in which the curves, or the landscape, computed for that slider value are drawn. Each
 * measurement is appended to a hidden element as JSON, where the end-to-end benchmark reads it.
 */
import type { PanelState } from './state';

export interface LatencySample {
  /** Which input event (1, 2, ...) the drawn result answers. */
  readonly input: number;
  readonly view: 'curves' | 'landscape';
  readonly ms: number;
  /** Points per side, for a landscape. */
  readonly resolution?: number;
}

const KEPT = 2000;

/** Params as a key: the host answers with every param of the loss, in any order. */
function keyOf(params: Readonly<Record<string, number>>): string {
  return JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function createLatencyProbe(parent: HTMLElement): { input(params: Readonly<Record<string, number>>): void; drawn(state: PanelState): void } {
  const log = document.createElement('pre');
  log.id = 'latency-log';
  log.hidden = true;
  log.textContent = '[]';
  log.dataset.inputs = '0';
  parent.append(log);
  const samples: LatencySample[] = [];
  const started = new Map<string, { input: number; at: number }>();
  let inputs = 0;
  let curves: PanelState['curves'];
  let landscape: PanelState['landscape'];

  const record = (view: LatencySample['view'], params: Readonly<Record<string, number>>, resolution?: number): void => {
    const start = started.get(keyOf(params));
    if (!start) return;
    // The result is in the DOM now; the next animation frame is when it is on screen.
    requestAnimationFrame(() => {
      samples.push({ input: start.input, view, ms: performance.now() - start.at, ...(resolution !== undefined ? { resolution } : {}) });
      if (samples.length > KEPT) samples.shift();
      log.textContent = JSON.stringify(samples);
    });
  };

  return {
    input(params) {
      inputs++;
      const key = keyOf(params);
      // The first input for a value starts its clock; dragging back to it later starts a new one.
      started.set(key, { input: inputs, at: performance.now() });
      if (started.size > KEPT) started.delete(started.keys().next().value as string);
      log.dataset.inputs = String(inputs);
    },
    drawn(state) {
      if (state.curves && state.curves !== curves) record('curves', state.curves.params);
      if (state.landscape && state.landscape !== landscape) record('landscape', state.landscape.params, state.landscape.resolution);
      curves = state.curves;
      landscape = state.landscape;
    },
  };
}
