/**
 * `Evaluate loss · Check` above each loss definition (in a .loss file, a loss comment, a ```loss
 * block), from the last analysis of the document.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './analysis';
import { commandId } from './commandNames';

export class LossCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly analysis: DocumentAnalysis) {
    this.onDidChangeCodeLenses = (listener, thisArgs, disposables) => analysis.onDidAnalyze(() => listener.call(thisArgs), undefined, disposables);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return this.analysis.lossesIn(document.uri).flatMap((loss) => {
      const line = Math.max(0, loss.range.startLine);
      const range = new vscode.Range(line, 0, line, 0);
      const args = [document.uri, loss.name, loss.range.startLine];
      return [
        new vscode.CodeLens(range, {
          title: 'Evaluate loss',
          tooltip: `Plot ${loss.name} and its derivatives beside the editor`,
          command: commandId('evaluate'),
          arguments: args,
        }),
        new vscode.CodeLens(range, { title: 'Check', tooltip: `Run the ${loss.kind} checks on ${loss.name}`, command: commandId('check'), arguments: args }),
      ];
    });
  }
}
