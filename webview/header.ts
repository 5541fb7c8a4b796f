/** The panel's title line: loss name, kind and backend badges, the file, and the citation. */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { PanelState } from './state';

function fileName(uri: string): string {
  const path = uri.split(/[?#]/)[0] ?? uri;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

export function createHeader(parent: HTMLElement): { render(state: PanelState): void } {
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
  titleLine.append(title, kind, backend, file);
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
    },
  };
}
