/** `losslab experiment` for people: the setup, one line per loss (mean ± sd over seeds), and progress on a terminal. */
import type { ExperimentReport, Spread } from '../core/experiments/report';

const pm = (s: Spread, digits = 3): string => `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}`;

export function formatExperiment(r: ExperimentReport): string {
  const s = r.setup;
  const model = s.model === 'linear' ? 'linear model' : `MLP ${s.hidden.join('-')} (${s.activation})`;
  const noise = s.noise > 0 ? `, ${s.noise * 100}% ${s.noiseType} noise` : '';
  const imbalance = s.imbalance > 1 ? `, imbalance ${s.imbalance}:1` : '';
  const lines = [
    `${s.dataset}, ${r.classes} classes, ${s.points} training points${noise}${imbalance}; ${model}, ${s.optimizer} lr ${s.lr}, ${s.epochs} epochs; ${s.seeds.length} seed(s); ${r.engine}`,
    `  ${'loss'.padEnd(18)} ${'test accuracy'.padEnd(16)} ${'ECE'.padEnd(16)} ${'final train loss'.padEnd(18)}${r.summary.some((x) => x.top_eigenvalue) ? ' top eigenvalue     trace' : ''}`,
  ];
  for (const x of r.summary) {
    const sharpness = x.top_eigenvalue && x.trace ? ` ${pm(x.top_eigenvalue).padEnd(18)} ${pm(x.trace)}` : '';
    lines.push(`  ${x.loss.padEnd(18)} ${pm(x.test_accuracy).padEnd(16)} ${pm(x.test_ece).padEnd(16)} ${pm(x.final_train_loss, 4).padEnd(18)}${sharpness}`);
  }
  for (const run of r.runs) {
    if (run.diverged_at !== undefined)
      lines.push(
        `  ${run.loss}, seed ${run.seed}: the loss or its gradient stopped being finite at epoch ${run.diverged_at} (see \`losslab check --only stability\`)`,
      );
  }
  lines.push(`  ${(r.elapsed_ms / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

/** A one-line progress report on stderr, when stderr is a terminal. */
export function terminalProgress(): ((fraction: number, message: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (fraction, message) => {
    process.stderr.write(`\r\x1b[K${(fraction * 100).toFixed(0).padStart(3)}% ${message}`);
    if (fraction >= 1) process.stderr.write('\r\x1b[K');
  };
}
