/**
 * Keeps every open document that holds losses analysed: `.loss` files, and Python, TypeScript or
 * Markdown files with losses in them (`core/lang/embedded.ts`). It sends the text to the worker
 * shortly after each edit, publishes the diagnostics, and remembers the losses for the CodeLens,
 * the panel and the commands. Requests are per document (view `analyze:<uri>`), so a newer text
 * cancels the analysis of an older one.
 */
import * as vscode from 'vscode';
import { HOST_LANGUAGE_IDS, lossTextAt, mayEmbedLosses } from '../core/lang/embedded';
import type { AnalyzeResult, LossDiagnostic, LossSummary } from '../protocol';
import type { Outcome, PendingRequest, WorkerClient } from '../worker/client';
import { CrashRecovery } from './crashRecovery';
import { analysisFailureDiagnostic, toVsDiagnostic } from './diagnostics';

/** The documents LossLab reads: every language that may hold a loss, in any scheme (files, untitled). */
export const LOSS_HOSTS: vscode.DocumentSelector = HOST_LANGUAGE_IDS.map((language) => ({ language }));

/** Long enough that typing a word sends one analysis, short enough to feel live. */
export const ANALYZE_DELAY_MS = 200;

/** Whether LossLab should read the document: a .loss file, or a host whose text may embed a loss. */
export function mayHoldLosses(document: vscode.TextDocument): boolean {
  return HOST_LANGUAGE_IDS.includes(document.languageId) && mayEmbedLosses(document.getText(), document.languageId);
}

interface Analysed {
  readonly losses: readonly LossSummary[];
  readonly diagnostics: readonly LossDiagnostic[];
}

export class DocumentAnalysis implements vscode.Disposable {
  private readonly analysed = new Map<string, Analysed>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The newest request per document: older answers are dropped. */
  private readonly newest = new Map<string, PendingRequest<AnalyzeResult>>();
  private readonly recovery = new CrashRecovery();
  private readonly analysedEmitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[];

  /** Fires after each analysis of a document, successful or not. */
  readonly onDidAnalyze = this.analysedEmitter.event;

  constructor(
    private readonly worker: WorkerClient,
    private readonly collection: vscode.DiagnosticCollection,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.analyzeNow(d)),
      // Saving or undoing to a clean state also fires this, with no change to the text.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.analyzeSoon(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      this.analysedEmitter,
    ];
    for (const document of vscode.workspace.textDocuments) this.analyzeNow(document);
  }

  lossesIn(uri: vscode.Uri): readonly LossSummary[] {
    return this.analysed.get(uri.toString())?.losses ?? [];
  }

  /** The loss called `name`; where several blocks of a document define one, the one nearest `line`. */
  lossNamed(uri: vscode.Uri, name: string, line?: number): LossSummary | undefined {
    const named = this.lossesIn(uri).filter((l) => l.name === name);
    if (line === undefined || named.length < 2) return named[0];
    return named.reduce((a, b) => (Math.abs(b.range.startLine - line) < Math.abs(a.range.startLine - line) ? b : a));
  }

  /** The loss whose definition spans `line`, if any. */
  lossDefinedAt(uri: vscode.Uri, line: number): LossSummary | undefined {
    return this.lossesIn(uri).find((l) => l.range.startLine <= line && line <= l.range.endLine);
  }

  /** The first error of the last analysis, to explain why a loss cannot be drawn. */
  firstError(uri: vscode.Uri): LossDiagnostic | undefined {
    return this.analysed.get(uri.toString())?.diagnostics.find((d) => d.severity === 'error');
  }

  /** The diagnostics of the last analysis, with their quick fixes. */
  diagnosticsOf(uri: vscode.Uri): readonly LossDiagnostic[] {
    return this.analysed.get(uri.toString())?.diagnostics ?? [];
  }

  /** The .loss text that defines `loss` in `document`: all of a .loss file, or the block or comments around it. */
  lossText(document: vscode.TextDocument, loss: LossSummary): string | undefined {
    return lossTextAt(document.getText(), document.languageId, loss.range.startLine);
  }

  /** Resolves once the document has been analysed (at once if it was, or if it holds no loss). */
  whenAnalyzed(document: vscode.TextDocument): Promise<void> {
    const uri = document.uri;
    if (this.analysed.has(uri.toString()) || !mayHoldLosses(document)) return Promise.resolve();
    return new Promise((resolve) => {
      const listener = this.onDidAnalyze((analysedUri) => {
        if (analysedUri.toString() !== uri.toString()) return;
        listener.dispose();
        resolve();
      });
    });
  }

  workerCrashed(): void {
    this.recovery.crashed();
  }

  workerRestarting(): void {
    this.recovery.restarting();
  }

  workerReady(): void {
    if (!this.recovery.takeRerun()) return;
    for (const document of vscode.workspace.textDocuments) this.analyzeNow(document);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const d of this.subscriptions) d.dispose();
  }

  private analyzeSoon(document: vscode.TextDocument): void {
    if (!HOST_LANGUAGE_IDS.includes(document.languageId)) return;
    const key = document.uri.toString();
    const previous = this.timers.get(key);
    if (previous !== undefined) clearTimeout(previous);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.analyzeNow(document);
      }, ANALYZE_DELAY_MS),
    );
  }

  private analyzeNow(document: vscode.TextDocument): void {
    if (document.isClosed || !HOST_LANGUAGE_IDS.includes(document.languageId)) return;
    const uri = document.uri;
    const key = uri.toString();
    if (!mayHoldLosses(document)) {
      // A Python file whose last `# loss:` line was deleted: its losses and diagnostics go too.
      if (this.analysed.has(key)) {
        this.forget(uri);
        this.analysedEmitter.fire(uri);
      }
      return;
    }
    const pending = this.worker.request<'analyze'>({ type: 'analyze', view: `analyze:${key}`, text: document.getText(), languageId: document.languageId });
    this.newest.set(key, pending);
    void pending.promise.then((outcome) => {
      if (this.newest.get(key) !== pending) return;
      this.settle(uri, outcome);
    });
  }

  private settle(uri: vscode.Uri, outcome: Outcome<AnalyzeResult>): void {
    const key = uri.toString();
    switch (outcome.status) {
      case 'cancelled':
        return;
      case 'ok': {
        this.recovery.succeeded();
        const { losses, diagnostics } = outcome.result;
        this.analysed.set(key, { losses, diagnostics });
        this.collection.set(uri, diagnostics.map(toVsDiagnostic));
        break;
      }
      case 'failed': {
        if (this.recovery.awaitingRestart) return;
        // Keep the losses found last time: the CodeLens should not vanish because the worker failed.
        const losses = this.lossesIn(uri);
        const diagnostics = outcome.diagnostics ?? [];
        this.analysed.set(key, { losses, diagnostics });
        this.collection.set(uri, diagnostics.length > 0 ? diagnostics.map(toVsDiagnostic) : [analysisFailureDiagnostic(outcome.message)]);
        break;
      }
    }
    this.analysedEmitter.fire(uri);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const timer = this.timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(key);
    this.newest.get(key)?.cancel();
    this.newest.delete(key);
    this.analysed.delete(key);
    this.collection.delete(uri);
  }
}
