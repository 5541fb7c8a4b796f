/**
 * The panel's title line: loss name, kind and backend badges, the file, the pin, and the
 * citation. Unpinned, the panel follows the loss under the cursor; pinned, it stays on this one.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { PanelState } from './state';

function fileName(uri: string): string {
  const path = uri.split(/[?#]/)[0] ?? uri;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

export function createHeader(parent: HTMLElement, onPin: (pinned: boolean) => void): { render(state: PanelState): void } {
  const header = document.createElement('header');
  const title = document.createElement('h1');
  const kind = document.createElement('vscode-badge');
  kind.title = 'kind: decides how inputs are sampled and which checks apply';
  const backend = document.createElement('vscode-badge');
  backend.className = 'backend';
  backend.title = 'tensor backend of the LossLab worker';
  const file = document.createElement('span');
  file.className = 'file';
  const titleLine = document.createElement('div');
  titleLine.className = 'title-line';
  const pin = document.createElement('button');
  pin.type = 'button';
  pin.className = 'tool-button pin';
  let pinned = false;
  pin.addEventListener('click', () => onPin(!pinned));
  titleLine.append(title, kind, backend, file, pin);
  const cite = document.createElement('p');
  cite.className = 'cite';
  header.append(titleLine, cite);
  parent.append(header);

  return {
    render(state) {
      title.textContent = state.loss?.name ?? 'LossLab';
      kind.hidden = !state.loss;
      kind.textContent = state.loss?.kind ?? '';
      backend.hidden = !state.backend;
      backend.textContent = state.backend ?? '';
      file.textContent = state.uri ? fileName(state.uri) : '';
      cite.hidden = !state.loss?.cite;
      cite.textContent = state.loss?.cite ?? '';
      pinned = state.pinned === true;
      pin.hidden = !state.loss;
      pin.textContent = pinned ? 'Pinned' : 'Pin';
      pin.setAttribute('aria-pressed', String(pinned));
      pin.title = pinned
        ? 'Pinned to this loss: click to follow the loss under the cursor again'
        : 'Follows the loss under the cursor: click to stay on this loss';
    },
  };
}
