/**
 * The panel's landscape: asks the worker for the loss over two axes whenever the curves are
 * asked for, under a view key of its own so a newer landscape supersedes a stale one. While a
 * slider is dragged it asks for a coarse grid, which keeps up; once the slider rests it asks
 * again at the full resolution.
 */
import type * as vscode from 'vscode';
import type { HostToPanel, LandscapeResult } from '../protocol';
import type { PendingRequest, WorkerClient } from '../worker/client';

/** Points per side while dragging: 48² = 2,304 points, a few milliseconds in the worker. */
export const DRAG_RESOLUTION = 48;
export const DEFAULT_RESOLUTION = 128;
/** How long a slider must rest before the full-resolution landscape is asked for. */
const SETTLE_MS = 120;
const VIEW = 'panel-landscape';

/** What a landscape is computed from: the same text, loss and slider values as the curves. */
export interface LandscapeSubject {
  readonly text: string;
  readonly loss: string;
  readonly params: Readonly<Record<string, number>>;
  readonly inputRange?: readonly [number, number];
}

export class PanelLandscape implements vscode.Disposable {
  private result: LandscapeResult | undefined;
  private pending: PendingRequest<LandscapeResult> | undefined;
  private subject: LandscapeSubject | undefined;
  private axes: { readonly x: string; readonly y: string } | undefined;
  private resolution = DEFAULT_RESOLUTION;
  private settle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly worker: WorkerClient,
    private readonly post: (message: HostToPanel) => void,
  ) {}

  /** Another loss is shown: its axes are not this one's. */
  reset(): void {
    this.cancel();
    this.result = undefined;
    this.subject = undefined;
    this.axes = undefined;
  }

  /** A slider moved: the next requests are coarse until it rests. */
  dragged(): void {
    if (this.settle !== undefined) clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.settle = undefined;
      if (this.subject) this.send(this.subject, this.resolution);
    }, SETTLE_MS);
  }

  request(subject: LandscapeSubject): void {
    this.subject = subject;
    this.send(subject, this.settle !== undefined ? Math.min(DRAG_RESOLUTION, this.resolution) : this.resolution);
  }

  /** The panel chose axes or a resolution, or a slider was let go. */
  choose(x: string, y: string, resolution: number): void {
    // Also sent when a slider is let go: the drag is over, so no coarse grid and no wait.
    if (this.settle !== undefined) clearTimeout(this.settle);
    this.settle = undefined;
    this.axes = { x, y };
    this.resolution = resolution;
    if (this.subject) this.send(this.subject, resolution);
  }

  /** The webview reloaded. */
  repost(): void {
    if (this.result) this.post({ type: 'landscape', result: this.result });
  }

  dispose(): void {
    this.cancel();
  }

  private cancel(): void {
    if (this.settle !== undefined) clearTimeout(this.settle);
    this.settle = undefined;
    this.pending?.cancel();
    this.pending = undefined;
  }

  private send(subject: LandscapeSubject, resolution: number): void {
    const axes = this.axes;
    const pending = this.worker.request<'landscape'>({
      type: 'landscape',
      view: VIEW,
      text: subject.text,
      loss: subject.loss,
      params: subject.params,
      resolution,
      ...(axes ? { x: axes.x, y: axes.y } : {}),
      ...(subject.inputRange ? { inputRange: subject.inputRange } : {}),
    });
    this.pending = pending;
    void pending.promise.then((outcome) => {
      if (this.pending !== pending) return;
      this.pending = undefined;
      if (outcome.status === 'ok') {
        this.result = outcome.result;
        this.post({ type: 'landscape', result: outcome.result });
      } else if (outcome.status === 'failed' && axes && this.axes === axes) {
        // An edit removed a chosen axis: fall back to the loss's default pair. Other failures
        // (the loss does not parse) are the curves' to report.
        this.axes = undefined;
        if (this.subject) this.send(this.subject, resolution);
      }
    });
  }
}
