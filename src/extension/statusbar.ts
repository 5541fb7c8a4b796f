/** The status bar item that says which tensor backend the worker runs on; a click changes it. */
import * as vscode from 'vscode';
import type { BackendName } from '../protocol';
import { commandId } from './commandNames';

export class BackendStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('losslab.backend', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'LossLab backend';
    this.item.command = commandId('selectBackend');
    // Hidden until the worker starts: it starts with the first document that holds a loss.
  }

  showStarting(): void {
    this.item.text = '$(sync~spin) LossLab: starting';
    this.item.tooltip = 'The LossLab worker is starting its tensor backend';
    this.item.backgroundColor = undefined;
    this.item.show();
  }

  /** The worker kept dying at start and was given up on: say so until a setting changes. */
  showStopped(message: string): void {
    this.item.text = '$(error) LossLab: stopped';
    this.item.tooltip = `${message}\nClick to choose another backend.`;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.show();
  }

  /** `notice` says why the backend is not the one asked for; the item stays highlighted until it is. */
  showBackend(backend: BackendName, notice?: string, engine?: string): void {
    const fused = engine !== undefined && engine.startsWith('fused');
    this.item.text = `$(pulse) LossLab: ${backend}${fused ? ' · fused' : ''}`;
    const runs =
      engine === undefined
        ? `the ${backend} backend`
        : fused
          ? `LossLab's ${engine} kernels, with the ${backend} backend for the rest`
          : `the ${backend} backend (${engine})`;
    this.item.tooltip = notice ? `${notice}\nClick to choose another backend.` : `LossLab computes with ${runs}. Click to choose another backend.`;
    this.item.backgroundColor = notice ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
