/**
 * The names of LossLab's commands, apart from their table in `main.ts`, so that the CodeLens and
 * the panel can name a command without importing the module that registers it.
 */
export const COMMAND_PREFIX = 'losslab.';

export type CommandName = 'evaluate' | 'check' | 'selectBackend' | 'checkAll' | 'openExample' | 'refreshLosses' | 'runExperiment' | 'export';

export function commandId(name: CommandName): string {
  return `${COMMAND_PREFIX}${name}`;
}
