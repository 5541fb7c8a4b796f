/** What every check receives: the lowered loss, resolved params, and the backend to test. */
import type { Executor } from '../engine/executor';
import type { LoweredLoss } from '../lang/lower';
import type { Kind } from '../lang/kinds';
import type { CheckResult } from './report';

export interface CheckContext {
  readonly loss: LoweredLoss;
  readonly params: Readonly<Record<string, number>>;
  readonly executor: Executor;
}

export interface Check {
  readonly id: string;
  readonly title: string;
  readonly applies: (kind: Kind) => boolean;
  readonly run: (ctx: CheckContext) => Promise<CheckResult>;
}
