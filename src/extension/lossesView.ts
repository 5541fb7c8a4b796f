/**
 * The LossLab view in the activity bar: the workspace's losses by file, each with its kind and
 * the verdicts of its last check run (how many checks pass, fail, are inconclusive); a click opens
 * the loss in the panel. The icon says whether the loss has a defect (a failed gradient or
 * stability check), only property checks that fail, or none; the view's own badge counts defects.
 */
import * as vscode from 'vscode';
import { lossTextAt } from '../core/lang/embedded';
import type { LossSummary } from '../protocol';
import { commandId } from './commandNames';
import type { LastCheck, VerdictStore } from './verdicts';
import type { FileLosses, WorkspaceLosses } from './workspaceLosses';

export const LOSSES_VIEW = 'losslab.losses';

type Node = { readonly file: FileLosses } | { readonly file: FileLosses; readonly loss: LossSummary };

const DEFECT_ICON = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
const PROPERTY_ICON = new vscode.ThemeIcon('circle-large-filled', new vscode.ThemeColor('testing.iconQueued'));
const PASS_ICON = new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));

function verdictIcon(last: LastCheck): vscode.ThemeIcon {
  return last.defects.length > 0 ? DEFECT_ICON : last.counts.fail > 0 ? PROPERTY_ICON : PASS_ICON;
}

/** `✓ 5  ✗ 2  ? 1`: the badge beside the kind. */
function verdictBadge(last: LastCheck): string {
  const { pass, fail, inconclusive } = last.counts;
  return [`✓ ${pass}`, ...(fail > 0 ? [`✗ ${fail}`] : []), ...(inconclusive > 0 ? [`? ${inconclusive}`] : [])].join('  ');
}

class LossesTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly workspace: WorkspaceLosses,
    private readonly verdicts: VerdictStore,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node === undefined) return (await this.workspace.list()).filter((f) => f.losses.length > 0).map((file) => ({ file }));
    if ('loss' in node) return [];
    return node.file.losses.map((loss) => ({ file: node.file, loss }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (!('loss' in node)) {
      const item = new vscode.TreeItem(node.file.uri, vscode.TreeItemCollapsibleState.Expanded);
      const relative = vscode.workspace.asRelativePath(node.file.uri, false);
      item.description = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
      item.contextValue = 'lossFile';
      return item;
    }
    const { file, loss } = node;
    const last = this.verdicts.get(file.uri, loss.name);
    const item = new vscode.TreeItem(loss.name, vscode.TreeItemCollapsibleState.None);
    item.description = last ? `${loss.kind} · ${verdictBadge(last)}` : loss.kind;
    item.iconPath = last ? verdictIcon(last) : new vscode.ThemeIcon('symbol-function');
    item.tooltip = tooltip(file, loss, last);
    item.contextValue = 'loss';
    item.command = { title: 'Evaluate loss', command: commandId('evaluate'), arguments: [file.uri, loss.name, loss.range.startLine] };
    return item;
  }
}

function tooltip(file: FileLosses, loss: LossSummary, last: LastCheck | undefined): vscode.MarkdownString {
  const definition = (lossTextAt(file.text, file.languageId, loss.range.startLine) ?? '').split('\n')[loss.range.startLine]?.trim() ?? loss.name;
  const md = new vscode.MarkdownString();
  md.appendCodeblock(definition, 'loss');
  md.appendMarkdown(`${loss.kind} loss · ${vscode.workspace.asRelativePath(file.uri)}:${loss.range.startLine + 1}`);
  if (loss.cite) md.appendMarkdown(`\n\n_${loss.cite}_`);
  if (last) {
    if (last.defects.length > 0) md.appendMarkdown(`\n\n**Fails the ${last.defects.join(' and ')} check**: the loss as written is not computed correctly.`);
    md.appendCodeblock(last.report.checks.map((c) => `${c.verdict.padEnd(12)} ${c.id.padEnd(12)} ${c.summary}`).join('\n'), 'text');
  } else md.appendMarkdown('\n\nNot checked yet: run **LossLab: Check Workspace Losses**.');
  return md;
}

export function registerLossesView(workspace: WorkspaceLosses, verdicts: VerdictStore): vscode.Disposable[] {
  const tree = new LossesTree(workspace, verdicts);
  const view = vscode.window.createTreeView(LOSSES_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const updateBadge = async (): Promise<void> => {
    const files = await workspace.list();
    const n = files.flatMap((f) => f.losses.filter((l) => (verdicts.get(f.uri, l.name)?.defects.length ?? 0) > 0)).length;
    view.badge = n > 0 ? { value: n, tooltip: `${n} loss${n === 1 ? '' : 'es'} fail${n === 1 ? 's' : ''} the gradient or stability check` } : undefined;
  };
  const changed = (): void => {
    tree.refresh();
    void updateBadge();
  };
  return [view, workspace.onDidChange(changed), verdicts.onDidChange(changed)];
}
