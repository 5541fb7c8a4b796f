/**
 * What the panel exports, written where the user says: a webview cannot write files, so it posts
 * the bytes (a PNG as a data URL, SVG and CSV as text) and the host asks for a place with a save
 * dialog; LaTeX goes to the clipboard. The message was checked against the protocol (size, name,
 * PNG data URL shape) before it gets here.
 */
import * as vscode from 'vscode';
import type { ExportFormat, PanelToHost } from '../protocol';
import type { LossPanel } from './panel';

const FILTERS: Readonly<Record<ExportFormat, Record<string, string[]>>> = {
  png: { 'PNG image': ['png'] },
  svg: { 'SVG image': ['svg'] },
  csv: { 'CSV data': ['csv'] },
};

/** The bytes to write: a PNG data URL decoded, text as UTF-8. */
export function exportBytes(format: ExportFormat, data: string): Uint8Array {
  if (format === 'png') return Buffer.from(data.slice(data.indexOf(',') + 1), 'base64');
  return new TextEncoder().encode(data);
}

function defaultFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

async function saveFile(format: ExportFormat, name: string, data: string): Promise<void> {
  const file = `${name}.${format}`;
  const folder = defaultFolder();
  const target = await vscode.window.showSaveDialog({
    title: `LossLab: save ${file}`,
    filters: FILTERS[format],
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, file) } : {}),
  });
  if (!target) return;
  try {
    await vscode.workspace.fs.writeFile(target, exportBytes(format, data));
    void vscode.window.showInformationMessage(`LossLab: saved ${vscode.workspace.asRelativePath(target)}`);
  } catch (e) {
    void vscode.window.showErrorMessage(`LossLab: could not save ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function copyText(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage('LossLab: LaTeX copied to the clipboard', 3000);
}

export function handlePanelExports(panel: LossPanel): vscode.Disposable {
  return panel.onDidReceiveMessage((m: PanelToHost) => {
    if (m.type === 'saveFile') void saveFile(m.format, m.name, m.data);
    else if (m.type === 'copyText') void copyText(m.text);
  });
}
