/**
 * One line that says what the numbers below are: current (how many points, on which backend, in
 * how long), being recomputed, or stale because the last update failed, and why. While a slider
 * is dragged the line keeps the last result and adds "computing…" only if an answer is slow, so
 * it does not flicker at every step.
 */
import { formatNumber } from './format';
import type { PanelState } from './state';

function describe(state: PanelState): { text: string; failed: boolean } {
  if (!state.loss) return { text: 'Open a .loss file and choose "Evaluate loss" above a loss definition.', failed: false };
  const c = state.curves;
  switch (state.status) {
    case 'failed':
    case 'stale': {
      const why = state.message ?? 'the last update failed';
      return { text: c ? `${why}. The plot shows the last good result (stale).` : why, failed: true };
    }
    case 'computing':
    case 'ready':
      return { text: c ? `${c.axis.values.length} points on ${c.engine ?? c.backend} in ${formatNumber(c.elapsedMs, 2)} ms` : '', failed: false };
  }
}

export function createStatusLine(parent: HTMLElement): { render(state: PanelState): void } {
  const line = document.createElement('p');
  line.className = 'status';
  line.setAttribute('role', 'status');
  const detail = document.createElement('span');
  const busy = document.createElement('span');
  busy.className = 'busy';
  busy.textContent = 'computing…';
  line.append(detail, busy);
  parent.append(line);
  return {
    render(state) {
      const { text, failed } = describe(state);
      detail.textContent = text;
      line.classList.toggle('failed', failed);
      busy.hidden = state.status !== 'computing';
    },
  };
}
