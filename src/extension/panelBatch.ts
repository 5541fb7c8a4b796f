/**
 * The panel's batch views (per-sample bars, the pair-gradient heatmap) of a batch loss: asked of
 * the worker with the curves, under a view key of their own so that a newer request supersedes
 * a stale one. A failed evaluation is posted as a failure, so the panel marks the last views
 * stale instead of leaving them up as if they were current.
 */
import type * as vscode from 'vscode';
import type { BatchViewsResult, HostToPanel } from '../protocol';
import type { PendingRequest, WorkerClient } from '../worker/client';

const VIEW = 'panel-batch';

/** The same text, loss and slider values as the curves. */
export interface BatchSubject {
  readonly text: string;
  readonly loss: string;
  readonly params: Readonly<Record<string, number>>;
}

export class PanelBatch implements vscode.Disposable {
  private last: Extract<HostToPanel, { type: 'batch' }> | undefined;
  private pending: PendingRequest<BatchViewsResult> | undefined;

  constructor(
    private readonly worker: WorkerClient,
    private readonly post: (message: HostToPanel) => void,
  ) {}

  /** Another loss is shown (or none): nothing of the last one's is kept. */
  reset(): void {
    this.pending?.cancel();
    this.pending = undefined;
    this.last = undefined;
  }

  request(subject: BatchSubject): void {
    const pending = this.worker.request<'batch'>({ type: 'batch', view: VIEW, text: subject.text, loss: subject.loss, params: subject.params });
    this.pending = pending;
    void pending.promise.then((outcome) => {
      if (this.pending !== pending) return;
      this.pending = undefined;
      if (outcome.status === 'cancelled') return;
      this.last = { type: 'batch', batch: outcome.status === 'ok' ? { result: outcome.result } : { failed: outcome.message } };
      this.post(this.last);
    });
  }

  /** The webview reloaded. */
  repost(): void {
    if (this.last) this.post(this.last);
  }

  dispose(): void {
    this.reset();
  }
}
