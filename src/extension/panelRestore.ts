/**
 * What a restored panel shows, read from the state its webview saved (`setState`) and VS Code
 * handed back after a reload. That state came from the webview, so it is checked here like any
 * message from it: a state that does not fit restores nothing. Pure: no VS Code here.
 */
import { isCurveDirection, type CurveDirection } from '../core/engine/curveDirection';

export interface RestoredPanel {
  readonly uri: string;
  readonly loss: string;
  readonly line: number;
  readonly params: Readonly<Record<string, number>>;
  readonly range?: readonly [number, number];
  /** The direction in logit space the curves ran along (multiclass losses). */
  readonly direction?: CurveDirection;
  readonly pinned: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function savedInterval(v: unknown): readonly [number, number] | undefined {
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const [a, b] = v as unknown[];
  return typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b) && a < b ? [a, b] : undefined;
}

export function restoredPanel(state: unknown): RestoredPanel | undefined {
  if (!isRecord(state) || typeof state.uri !== 'string' || state.uri.length > 4096 || !isRecord(state.loss)) return undefined;
  const { name, range } = state.loss;
  if (typeof name !== 'string' || !NAME.test(name) || !isRecord(range)) return undefined;
  const line = range.startLine;
  if (typeof line !== 'number' || !Number.isInteger(line) || line < 0) return undefined;
  const params = isRecord(state.params)
    ? Object.fromEntries(
        Object.entries(state.params).filter((e): e is [string, number] => NAME.test(e[0]) && typeof e[1] === 'number' && Number.isFinite(e[1])),
      )
    : {};
  const view = isRecord(state.curvesView) ? state.curvesView : {};
  const inputRange = savedInterval(view.range);
  const direction = isRecord(state.curves) && isCurveDirection(state.curves.direction) ? state.curves.direction : undefined;
  return {
    uri: state.uri,
    loss: name,
    line,
    params,
    ...(inputRange ? { range: inputRange } : {}),
    ...(direction ? { direction } : {}),
    pinned: state.pinned === true,
  };
}
