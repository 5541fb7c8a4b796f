/**
 * LossLab's entry point. It wires VS Code events to the worker and the worker's answers to the
 * screen; it computes nothing itself. Everything that must be released at deactivation goes into
 * the one `context.subscriptions` list, and every command is one row of the table below.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackendName } from '../protocol';
import { WorkerClient } from '../worker/client';
import { DocumentAnalysis, LOSS_LANGUAGE } from './analysis';
import { configuredWorkerOptions, onDidChangeBackendSetting, selectBackend } from './backend';
import { checkLoss } from './check';
import { LossCodeLensProvider } from './codelens';
import { commandId, type CommandName } from './commandNames';
import { followCursor } from './cursorFollow';
import { LossPanel } from './panel';
import { PanelSession } from './panelSession';
import { BackendStatusItem } from './statusbar';
import { lossTargetFromArgs } from './target';

interface WorkerStart {
  readonly backend: BackendName;
  readonly notice?: string;
}

let worker: WorkerClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const disposables = context.subscriptions;
  const started = new vscode.EventEmitter<WorkerStart>();
  const crashed = new vscode.EventEmitter<string>();
  let backend: BackendName | undefined;

  const client = new WorkerClient(path.join(context.extensionPath, 'dist', 'worker.js'), configuredWorkerOptions(), {
    onReady: (b, notice) => started.fire({ backend: b, notice }),
    onCrash: (message) => crashed.fire(message),
  });
  worker = client;

  const diagnostics = vscode.languages.createDiagnosticCollection('losslab');
  const analysis = new DocumentAnalysis(client, diagnostics);
  const panel = new LossPanel(context.extensionUri);
  const session = new PanelSession(client, analysis, panel);
  const statusItem = new BackendStatusItem();
  const output = vscode.window.createOutputChannel('LossLab');

  const noTarget = (): void => {
    void vscode.window.showInformationMessage(
      'LossLab: put the cursor on a loss in a .loss file, such as focal(p) = -(1 - p)^gamma * log(p); a file with errors lists them in the Problems view',
    );
  };
  const commands: Readonly<Record<CommandName, (...args: unknown[]) => unknown>> = {
    evaluate: (...args) => {
      const target = lossTargetFromArgs(args, analysis);
      if (target) session.select(target);
      else noTarget();
    },
    check: (...args) => {
      const target = lossTargetFromArgs(args, analysis);
      if (target) return checkLoss(client, session, output, target);
      noTarget();
      return undefined;
    },
    selectBackend: () => selectBackend(backend),
  };
  for (const [name, run] of Object.entries(commands)) {
    disposables.push(vscode.commands.registerCommand(commandId(name as CommandName), run));
  }

  disposables.push(
    started,
    crashed,
    diagnostics,
    analysis,
    panel,
    session,
    statusItem,
    output,
    vscode.languages.registerCodeLensProvider({ language: LOSS_LANGUAGE }, new LossCodeLensProvider(analysis)),
    followCursor(analysis, panel, session),
    started.event(({ backend: b, notice }) => {
      backend = b;
      statusItem.showBackend(b, notice);
      session.showBackend(b);
      if (notice) void vscode.window.showWarningMessage(`LossLab: ${notice}`);
      analysis.workerReady();
      session.workerReady();
    }),
    crashed.event((message) => {
      backend = undefined;
      statusItem.showStarting();
      // The work is re-run when the new worker says it is ready: requests sent before the
      // client has started it again would be lost.
      analysis.workerCrashed();
      session.workerCrashed();
      void vscode.window.showWarningMessage(`LossLab: ${message}. It was restarted${panel.isOpen ? ' and the panel will be redrawn' : ''}.`);
    }),
    onDidChangeBackendSetting(() => {
      backend = undefined;
      statusItem.showStarting();
      analysis.workerRestarting();
      session.workerRestarting();
      client.restart(configuredWorkerOptions());
    }),
  );
}

/** Returning the promise lets VS Code wait for the worker thread to end. */
export function deactivate(): Promise<void> | undefined {
  const w = worker;
  worker = undefined;
  return w?.dispose();
}
