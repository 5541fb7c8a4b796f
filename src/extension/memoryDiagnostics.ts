/**
 * A hidden command, `losslab.diagnostics.memory` (not in the palette; the end-to-end leak test
 * binds a key to it): the extension host's heap and the worker's heap and live tensors, shown as
 * a notification and returned, so that a leak over many panel open/close cycles can be measured.
 */
import * as vscode from 'vscode';
import type { WorkerMemory } from '../protocol';
import type { WorkerClient } from '../worker/client';

export const MEMORY_DIAGNOSTICS_COMMAND = 'losslab.diagnostics.memory';

export interface MemoryReport {
  readonly hostHeapUsedBytes: number;
  readonly worker?: WorkerMemory;
}

const megabytes = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

export function formatMemoryReport(r: MemoryReport): string {
  const worker = r.worker
    ? `worker heap ${megabytes(r.worker.heapUsedBytes)} MB, ${r.worker.numTensors} tensors (${r.worker.numBytes} bytes)`
    : 'worker not answering';
  return `LossLab memory: extension host heap ${megabytes(r.hostHeapUsedBytes)} MB; ${worker}`;
}

export function registerMemoryDiagnostics(client: WorkerClient): vscode.Disposable {
  return vscode.commands.registerCommand(MEMORY_DIAGNOSTICS_COMMAND, async (): Promise<MemoryReport> => {
    const answer = await client.request<'memory'>({ type: 'memory', view: 'diagnostics:memory' }).promise;
    const report: MemoryReport = { hostHeapUsedBytes: process.memoryUsage().heapUsed, ...(answer.status === 'ok' ? { worker: answer.result } : {}) };
    void vscode.window.showInformationMessage(formatMemoryReport(report));
    return report;
  });
}
