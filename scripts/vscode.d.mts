// Types of scripts/vscode.mjs, for the end-to-end tests written in TypeScript.
export const CACHE: string;
export function ensureCodeServer(): { node: string; entry: string };
export function packageExtension(): string;
export interface RunningVSCode {
  readonly url: string;
  readonly logFile: string;
  readonly state: string;
  log(): string;
  stop(): Promise<void>;
  cleanup(): void;
}
export function startVSCode(options?: {
  workspace?: string;
  vsix?: string;
  settings?: Record<string, unknown>;
  copyWorkspace?: boolean;
  /** false: the workspace opens untrusted, in Restricted Mode. */
  trusted?: boolean;
}): Promise<RunningVSCode>;
