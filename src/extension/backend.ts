/**
 * Backend selection: the `losslab.backend` setting, read into the worker's options, and the
 * quick pick behind `LossLab: Select Backend`. `auto` lets the worker take the best it can start
 * (tensorflow, webgpu, wasm, cpu, in that order).
 */
import * as vscode from 'vscode';
import { BACKEND_NAMES, type BackendName, type WorkerOptions } from '../protocol';

type BackendSetting = 'auto' | BackendName;

const SECTION = 'losslab';
const KEY = 'backend';

const DESCRIPTIONS: Readonly<Record<BackendSetting, string>> = {
  auto: 'the best one that starts: tensorflow, webgpu, wasm, then cpu',
  tensorflow: 'native TensorFlow (CUDA or CPU) via @tensorflow/tfjs-node(-gpu), when installed',
  webgpu: 'the GPU through Dawn (Vulkan, Metal, D3D12) via the webgpu package',
  wasm: 'WebAssembly, bundled: works everywhere',
  cpu: 'plain JavaScript: the slowest, the last resort',
};

function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKEND_NAMES as readonly string[]).includes(value);
}

/** The setting as written, where anything unknown counts as `auto`. */
function readBackendSetting(): BackendSetting {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>(KEY);
  return isBackendName(value) ? value : 'auto';
}

export function configuredWorkerOptions(): WorkerOptions {
  const setting = readBackendSetting();
  const kernels = vscode.workspace.getConfiguration(SECTION).get<unknown>('kernels');
  return {
    ...(setting === 'auto' ? {} : { backend: setting }),
    ...(kernels === 'tfjs' || kernels === 'webgpu' ? { kernels } : {}),
  };
}

export function onDidChangeBackendSetting(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${SECTION}.${KEY}`) || e.affectsConfiguration(`${SECTION}.kernels`)) listener();
  });
}

/** Asks which backend to use and writes the choice where the current value comes from. */
export async function selectBackend(running: BackendName | undefined): Promise<void> {
  const current = readBackendSetting();
  const items = (['auto', ...BACKEND_NAMES] as const).map((name) => ({
    label: name === current ? `$(check) ${name}` : name,
    description: name === running ? `${DESCRIPTIONS[name]} (running)` : DESCRIPTIONS[name],
    setting: name,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'LossLab: Select Backend',
    placeHolder: running ? `Now computing on ${running}` : 'The worker is starting',
  });
  if (!picked || picked.setting === current) return;
  const config = vscode.workspace.getConfiguration(SECTION);
  // A workspace value would hide a user-level change, so update the level that is in force.
  const target = config.inspect(KEY)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(KEY, picked.setting, target);
}
