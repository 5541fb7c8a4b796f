/**
 * The losses of the workspace, for the LossLab view and `Check Workspace Losses`: every
 * .loss file and every Python, TypeScript, JavaScript or Markdown file with losses in it. Files
 * are read from disk and analysed by the worker; an open document is taken from the editor's
 * analysis instead, so the view follows typing. A file watcher keeps the list current.
 */
import * as vscode from 'vscode';
import { mayEmbedLosses } from '../core/lang/embedded';
import type { LossSummary } from '../protocol';
import type { WorkerClient } from '../worker/client';
import type { DocumentAnalysis } from './analysis';

export interface FileLosses {
  readonly uri: vscode.Uri;
  readonly languageId: string;
  /** The text the losses were read from: what a check of one of them evaluates. */
  readonly text: string;
  readonly losses: readonly LossSummary[];
}

const LANGUAGE_OF_EXTENSION: Readonly<Record<string, string>> = {
  loss: 'loss',
  py: 'python',
  md: 'markdown',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascriptreact',
};
const INCLUDE = `**/*.{${Object.keys(LANGUAGE_OF_EXTENSION).join(',')}}`;
const EXCLUDE = '**/{node_modules,.git,dist,out,build,.venv,venv,__pycache__,site-packages}/**';
const MAX_FILES = 5000;
/** Larger files are data, not losses. */
const MAX_BYTES = 512 * 1024;

function languageOf(uri: vscode.Uri): string | undefined {
  const ext = /\.([A-Za-z]+)$/.exec(uri.path)?.[1]?.toLowerCase();
  return ext === undefined ? undefined : LANGUAGE_OF_EXTENSION[ext];
}

export class WorkspaceLosses implements vscode.Disposable {
  private readonly files = new Map<string, FileLosses>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  private scan: Promise<void> | undefined;

  readonly onDidChange = this.changed.event;

  constructor(
    private readonly worker: WorkerClient,
    private readonly analysis: DocumentAnalysis,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(INCLUDE);
    this.subscriptions = [
      watcher,
      watcher.onDidCreate((uri) => void this.readFile(uri)),
      watcher.onDidChange((uri) => void this.readFile(uri)),
      watcher.onDidDelete((uri) => this.remove(uri)),
      analysis.onDidAnalyze((uri) => this.documentAnalysed(uri)),
      this.changed,
    ];
  }

  /** Every file with losses, by path. Scans the workspace the first time. */
  async list(): Promise<FileLosses[]> {
    await this.ensureScanned();
    return [...this.files.values()].sort((a, b) => a.uri.path.localeCompare(b.uri.path));
  }

  /** Scans the workspace once; `rescan` forces a new scan. */
  ensureScanned(rescan = false): Promise<void> {
    if (!this.scan || rescan) this.scan = this.scanWorkspace();
    return this.scan;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }

  private async scanWorkspace(): Promise<void> {
    const uris = await vscode.workspace.findFiles(INCLUDE, EXCLUDE, MAX_FILES);
    this.files.clear();
    await Promise.all(uris.map((uri) => this.readFile(uri, false)));
    this.changed.fire();
  }

  private async readFile(uri: vscode.Uri, notify = true): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return this.documentAnalysed(uri);
    const languageId = languageOf(uri);
    if (!languageId) return;
    let text: string;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_BYTES) return;
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return this.remove(uri);
    }
    if (!mayEmbedLosses(text, languageId)) return this.remove(uri, notify);
    const outcome = await this.worker.request<'analyze'>({ type: 'analyze', view: `workspace:${uri.toString()}`, text, languageId }).promise;
    if (outcome.status !== 'ok') return;
    this.set({ uri, languageId, text, losses: outcome.result.losses }, notify);
  }

  private documentAnalysed(uri: vscode.Uri): void {
    if (!vscode.workspace.getWorkspaceFolder(uri)) return;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!document) return;
    const losses = this.analysis.lossesIn(uri);
    if (losses.length === 0 && !mayEmbedLosses(document.getText(), document.languageId)) return this.remove(uri);
    this.set({ uri, languageId: document.languageId, text: document.getText(), losses });
  }

  private set(entry: FileLosses, notify = true): void {
    this.files.set(entry.uri.toString(), entry);
    if (notify) this.changed.fire();
  }

  private remove(uri: vscode.Uri, notify = true): void {
    if (this.files.delete(uri.toString()) && notify) this.changed.fire();
  }
}
