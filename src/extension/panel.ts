/**
 * The LossLab panel: one WebviewPanel beside the editor, created on demand or handed back by VS
 * Code when it restores the window (`adopt`, from the serializer). It only carries messages: what
 * arrives from the webview is checked with `isPanelToHost` and passed on, the rest is dropped;
 * what it shows is decided by `PanelSession`. It holds one bit of its own, whether it is pinned:
 * pinned, it stays on its loss instead of following the cursor.
 */
import * as vscode from 'vscode';
import { isPanelToHost, type HostToPanel, type PanelToHost } from '../protocol';
import { renderPanelHtml } from './panelHtml';

export const PANEL_VIEW_TYPE = 'losslab.panel';

export class LossPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private pinnedToLoss = false;
  private readonly messageEmitter = new vscode.EventEmitter<PanelToHost>();
  private readonly postEmitter = new vscode.EventEmitter<HostToPanel>();
  private readonly closeEmitter = new vscode.EventEmitter<void>();

  readonly onDidReceiveMessage = this.messageEmitter.event;
  /** Everything posted to the webview, for the parts that follow what it shows (the comparison). */
  readonly onDidPost = this.postEmitter.event;
  readonly onDidClose = this.closeEmitter.event;

  constructor(private readonly extensionUri: vscode.Uri) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get pinned(): boolean {
    return this.pinnedToLoss;
  }

  /** Opens the panel beside the editor, or brings it forward, without taking the focus. */
  show(title: string): void {
    if (this.panel) {
      this.panel.title = title;
      if (!this.panel.visible) this.panel.reveal(this.panel.viewColumn, true);
      return;
    }
    this.panel = this.create(title);
  }

  /** A panel VS Code restored after a reload: it gets this load's HTML and becomes the panel. */
  adopt(restored: vscode.WebviewPanel): void {
    if (this.panel && this.panel !== restored) this.panel.dispose();
    this.panel = restored;
    this.wire(restored);
  }

  setTitle(title: string): void {
    if (this.panel) this.panel.title = title;
  }

  setPinned(pinned: boolean): void {
    this.pinnedToLoss = pinned;
    this.post({ type: 'pinned', pinned });
  }

  post(message: HostToPanel): void {
    void this.panel?.webview.postMessage(message);
    this.postEmitter.fire(message);
  }

  dispose(): void {
    this.panel?.dispose();
    this.messageEmitter.dispose();
    this.postEmitter.dispose();
    this.closeEmitter.dispose();
  }

  private create(title: string): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(this.extensionUri),
    );
    this.wire(panel);
    return panel;
  }

  private wire(panel: vscode.WebviewPanel): void {
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'losslab.svg');
    panel.webview.html = renderPanelHtml(panel.webview, this.extensionUri);
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!isPanelToHost(m)) return;
      if (m.type === 'setPinned') this.setPinned(m.pinned);
      else if (m.type === 'ready') this.post({ type: 'pinned', pinned: this.pinnedToLoss });
      this.messageEmitter.fire(m);
    });
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.panel = undefined;
      this.pinnedToLoss = false;
      this.closeEmitter.fire();
    });
  }
}

/** Scripts on, and local files only from the extension's `dist` and `media`. */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
