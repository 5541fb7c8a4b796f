/**
 * `LossLab: Open Example`, behind the Get Started walkthrough: opens one of the examples that
 * ship with LossLab as an untitled copy, so that it can be edited and saved anywhere without
 * touching the installed extension. An example of the open workspace is opened as it is.
 */
import * as vscode from 'vscode';

export const EXAMPLES: Readonly<Record<string, string>> = {
  'focal.loss': 'loss',
  'margins.loss': 'loss',
  'multiclass.loss': 'loss',
  'embedded.py': 'python',
  'notes.md': 'markdown',
};

export async function openExample(extensionUri: vscode.Uri, args: readonly unknown[]): Promise<void> {
  let [name] = args;
  if (typeof name !== 'string' || !Object.hasOwn(EXAMPLES, name)) {
    name = await vscode.window.showQuickPick(Object.keys(EXAMPLES), { title: 'LossLab: Open Example' });
    if (typeof name !== 'string') return;
  }
  const file = name as string;
  const [inWorkspace] = await vscode.workspace.findFiles(`**/examples/${file}`, '**/node_modules/**', 1);
  if (inWorkspace) {
    await vscode.window.showTextDocument(inWorkspace);
    return;
  }
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'examples', file));
  const document = await vscode.workspace.openTextDocument({ content: new TextDecoder().decode(bytes), language: EXAMPLES[file] });
  await vscode.window.showTextDocument(document);
}
