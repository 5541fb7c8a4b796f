/**
 * The LossLab panel: one WebviewPanel beside the editor, created on demand. It only carries
 * messages: what arrives from the webview is checked with `isPanelToHost` and passed on, the
 * rest is dropped; what it shows is decided by `PanelSession`.
 */
import * as vscode from 'vscode';
import { isPanelToHost, type HostToPanel, type PanelToHost } from '../protocol';
import { renderPanelHtml } from './panelHtml';

const VIEW_TYPE = 'losslab.panel';

export class LossPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly messageEmitter = new vscode.EventEmitter<PanelToHost>();
  private readonly closeEmitter = new vscode.EventEmitter<void>();

  readonly onDidReceiveMessage = this.messageEmitter.event;
  readonly onDidClose = this.closeEmitter.event;

  constructor(private readonly extensionUri: vscode.Uri) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
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

  setTitle(title: string): void {
    if (this.panel) this.panel.title = title;
  }

  post(message: HostToPanel): void {
    void this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    this.messageEmitter.dispose();
    this.closeEmitter.dispose();
  }

  private create(title: string): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
      },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'losslab.svg');
    panel.webview.html = renderPanelHtml(panel.webview, this.extensionUri);
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (isPanelToHost(m)) this.messageEmitter.fire(m);
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.closeEmitter.fire();
    });
    return panel;
  }
}
