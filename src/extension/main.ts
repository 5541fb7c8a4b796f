/**
 * LossLab's entry point. It wires VS Code events to the worker and the worker's answers to the
 * screen; it computes nothing itself. Everything that must be released at deactivation goes into
 * the one `context.subscriptions` list, and every command is one row of the table below.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackendName, WorkerOptions } from '../protocol';
import { WorkerClient } from '../worker/client';
import { DocumentAnalysis, LOSS_HOSTS } from './analysis';
import { configuredWorkerOptions, onDidChangeBackendSetting, selectBackend } from './backend';
import { checkLoss } from './check';
import { checkAllLosses } from './checkAll';
import { checkOnSave } from './checkOnSave';
import { LossCodeLensProvider } from './codelens';
import { commandId, type CommandName } from './commandNames';
import { followCursor } from './cursorFollow';
import { openExample } from './examples';
import { runExperimentCommand } from './experimentCommand';
import { exportLossCommand } from './export';
import { registerLanguageFeatures } from './language';
import { registerLossesView } from './lossesView';
import { registerMemoryDiagnostics } from './memoryDiagnostics';
import { LossPanel } from './panel';
import { PanelComparison } from './panelCompare';
import { handlePanelExports } from './panelExport';
import { registerPanelSerializer } from './panelSerializer';
import { PanelSession } from './panelSession';
import { registerQuickFixes } from './quickFixes';
import { onDidChangeLimitSettings, onDidChangeSettings, readLimitSettings, readSettings } from './settings';
import { BackendStatusItem } from './statusbar';
import { lossTargetFromArgs, type LossTarget } from './target';
import { VerdictStore } from './verdicts';
import { WorkspaceLosses } from './workspaceLosses';

/** A context key for `when` clauses: the active editor holds at least one loss. */
const EDITOR_HAS_LOSSES = 'losslab.editorHasLosses';

interface WorkerStart {
  readonly backend: BackendName;
  readonly notice?: string | undefined;
  readonly engine?: string | undefined;
}

let worker: WorkerClient | undefined;
/** Experiments' own thread, started by the first experiment: a training of seconds must not hold up the curves. */
let experimentWorker: WorkerClient | undefined;

/** The backend setting and the `losslab.limits.*` settings, as the worker starts with them. */
const workerOptions = (): WorkerOptions => ({ ...configuredWorkerOptions(), limits: readLimitSettings() });

export function activate(context: vscode.ExtensionContext): void {
  const disposables = context.subscriptions;
  const started = new vscode.EventEmitter<WorkerStart>();
  const crashed = new vscode.EventEmitter<string>();
  let backend: BackendName | undefined;

  const starting = new vscode.EventEmitter<void>();
  // Lazy: a Python or Markdown file without a loss activates LossLab but starts no thread.
  const client = new WorkerClient(
    path.join(context.extensionPath, 'dist', 'worker.js'),
    workerOptions(),
    {
      onStart: () => starting.fire(),
      onReady: (b, notice, engine) => started.fire({ backend: b, notice, engine }),
      onCrash: (message) => crashed.fire(message),
    },
    { lazy: true },
  );
  worker = client;

  let settings = readSettings();
  const diagnostics = vscode.languages.createDiagnosticCollection('losslab');
  const analysis = new DocumentAnalysis(client, diagnostics);
  const panel = new LossPanel(context.extensionUri);
  const session = new PanelSession(client, analysis, panel, settings);
  const statusItem = new BackendStatusItem();
  const output = vscode.window.createOutputChannel('LossLab');
  const verdicts = new VerdictStore();
  const workspaceLosses = new WorkspaceLosses(client, analysis);
  // Its crash fails the experiment running on it, which says so; the editor's worker and the
  // panel's curves are not involved, so nothing else is re-run.
  const experimentClient = (): WorkerClient =>
    (experimentWorker ??= new WorkerClient(path.join(context.extensionPath, 'dist', 'worker.js'), workerOptions(), {
      onCrash: (message) => output.appendLine(`LossLab: the experiment worker stopped: ${message}`),
    }));
  /** New backend or limits: the worker starts again with them (if it had started at all). */
  function restartWorker(): void {
    backend = undefined;
    analysis.workerRestarting();
    session.workerRestarting();
    client.restart(workerOptions());
  }
  /** New settings: the next experiment starts a thread with them (a running one is cancelled). */
  const retireExperimentWorker = (): void => {
    void experimentWorker?.dispose();
    experimentWorker = undefined;
  };

  const noTarget = (): void => {
    void vscode.window.showInformationMessage(
      'LossLab: put the cursor on a loss (in a .loss file, a `# loss:` comment or a ```loss block), such as focal(p) = -(1 - p)^gamma * log(p); a file with errors lists them in the Problems view',
    );
  };
  /** The target's document, opened (and analysed) first when it is not: the LossLab view names closed files. */
  const withTarget = async (args: unknown[], act: (target: LossTarget) => unknown): Promise<unknown> => {
    const [uri] = args;
    if (uri instanceof vscode.Uri) {
      const document = await vscode.workspace.openTextDocument(uri);
      // In the first column: the panel opens beside it. A command from the panel names a visible document.
      if (!vscode.window.visibleTextEditors.some((e) => e.document === document)) {
        await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: true, preserveFocus: true });
      }
      await analysis.whenAnalyzed(document);
    }
    const target = lossTargetFromArgs(args, analysis);
    if (target) return act(target);
    noTarget();
    return undefined;
  };
  // Shows Evaluate and Check in the palette for any editor with losses, not only .loss files.
  const updateEditorContext = (): void => {
    const editor = vscode.window.activeTextEditor;
    void vscode.commands.executeCommand('setContext', EDITOR_HAS_LOSSES, editor !== undefined && analysis.lossesIn(editor.document.uri).length > 0);
  };
  const commands: Readonly<Record<CommandName, (...args: unknown[]) => unknown>> = {
    evaluate: (...args) => withTarget(args, (target) => session.select(target)),
    check: (...args) => withTarget(args, (target) => checkLoss(client, session, output, verdicts, target)),
    selectBackend: () => selectBackend(backend),
    checkAll: () => checkAllLosses(client, workspaceLosses, verdicts, output),
    openExample: (...args) => openExample(context.extensionUri, args),
    refreshLosses: () => workspaceLosses.ensureScanned(true),
    export: (...args) => withTarget(args, (target) => exportLossCommand(client, session, target)),
    runExperiment: (...args) => withTarget(args, (target) => runExperimentCommand(experimentClient, analysis, session, output, target)),
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
    verdicts,
    workspaceLosses,
    vscode.languages.registerCodeLensProvider(LOSS_HOSTS, new LossCodeLensProvider(analysis)),
    ...registerLanguageFeatures(client, {
      shownIn: (uri) => {
        const shown = session.shownTarget;
        const params = session.shownParams;
        return shown && params && shown.uri.toString() === uri.toString() ? { loss: shown.loss, params } : undefined;
      },
      readoutDigits: () => settings.readoutDigits,
    }),
    registerQuickFixes(analysis),
    registerMemoryDiagnostics(client),
    ...registerLossesView(workspaceLosses, verdicts),
    ...checkOnSave(client, analysis, verdicts, output, () => settings),
    followCursor(analysis, panel, session),
    registerPanelSerializer(panel, session, analysis),
    handlePanelExports(panel),
    new PanelComparison(client, workspaceLosses, panel),
    onDidChangeSettings(() => {
      settings = readSettings();
      session.applySettings(settings);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => updateEditorContext()),
    analysis.onDidAnalyze(() => updateEditorContext()),
    started.event(({ backend: b, notice, engine }) => {
      backend = b;
      statusItem.showBackend(b, notice, engine);
      session.showBackend(b);
      if (notice) void vscode.window.showWarningMessage(`LossLab: ${notice}`);
      analysis.workerReady();
      session.workerReady();
    }),
    starting.event(() => statusItem.showStarting()),
    crashed.event((message) => {
      backend = undefined;
      if (client.givenUp) statusItem.showStopped(message);
      // The work is re-run when the new worker says it is ready: requests sent before the
      // client has started it again would be lost.
      analysis.workerCrashed();
      session.workerCrashed();
      if (client.givenUp) void vscode.window.showErrorMessage(`LossLab: ${message}.`);
      else void vscode.window.showWarningMessage(`LossLab: ${message}. It was restarted${panel.isOpen ? ' and the panel will be redrawn' : ''}.`);
    }),
    onDidChangeBackendSetting(() => retireExperimentWorker()),
    onDidChangeLimitSettings(() => retireExperimentWorker()),
    onDidChangeBackendSetting(restartWorker),
    onDidChangeLimitSettings(restartWorker),
  );
}

/** Returning the promise lets VS Code wait for the worker thread to end. */
export function deactivate(): Promise<void> | undefined {
  const w = worker;
  const e = experimentWorker;
  worker = undefined;
  experimentWorker = undefined;
  return w || e ? Promise.all([w?.dispose(), e?.dispose()]).then(() => undefined) : undefined;
}
