/**
 * What to do with work the worker lost when it stopped: keep what is on screen (the failure is
 * the worker's, not the loss's) and run the work again once the new worker is ready, but only
 * once in a row, because a request that crashes the worker would otherwise crash it forever.
 */
export class CrashRecovery {
  private rerunPending = false;
  private crashesSinceSuccess = 0;

  /** The worker died; failures that arrive now are about the crash. */
  crashed(): void {
    this.crashesSinceSuccess++;
    this.rerunPending = this.crashesSinceSuccess <= 1;
  }

  /** The worker is being restarted on purpose (another backend): rerun without counting a crash. */
  restarting(): void {
    this.rerunPending = true;
  }

  succeeded(): void {
    this.crashesSinceSuccess = 0;
  }

  /** True between a crash (or restart) and the next ready: failures then are not shown. */
  get awaitingRestart(): boolean {
    return this.rerunPending;
  }

  /** Called when the worker is ready: true once if the lost work should run again. */
  takeRerun(): boolean {
    const rerun = this.rerunPending;
    this.rerunPending = false;
    return rerun;
  }
}
