/** Plain-text renderings of results for people; `--json` prints the contract's JSON instead. */
import type { CheckReport } from '../core/checks/report';
import type { ComparisonReport } from '../core/compare';
import type { LibraryEntry } from '../core/library/catalogue';
import type { PointResult } from '../core/results';

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(8));

/** `float64`: beside a float32 result, the float64 value and their relative difference (shown when over 1e-6). */
export function formatPoint(r: PointResult, float64?: { readonly value: number; readonly difference: number }): string {
  const at = Object.entries(r.at).map(([k, v]) => `${k} = ${typeof v === 'number' ? String(v) : `[${v.join(', ')}]`}`);
  const params = Object.entries(r.params).map(([k, v]) => `${k} = ${String(v)}`);
  const lines = [
    `${r.loss} (${r.kind}, ${r.backend})`,
    `  at     ${at.join(', ')}${params.length > 0 ? `; ${params.join(', ')}` : ''}`,
    `  value  ${fmt(r.value)}`,
  ];
  if (float64 && !(float64.difference <= 1e-6))
    lines.push(`  float64 ${float64.value.toPrecision(12)} (relative difference ${float64.difference.toExponential(2)}: float32 loses digits here)`);
  for (const [name, g] of Object.entries(r.grad)) lines.push(`  d/d${name}  ${typeof g === 'number' ? fmt(g) : `[${g.map(fmt).join(', ')}]`}`);
  return lines.join('\n');
}

/** A witness longer than this (a batch loss's tensors) is cut in the text report; `--json` has it whole. */
export const WITNESS_CHARACTERS = 400;

export function formatCheckReport(r: CheckReport): string {
  const params = Object.entries(r.params)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
  const lines = [`${r.loss} (${r.kind}${params ? `; ${params}` : ''})`];
  const idWidth = Math.max(12, ...r.checks.map((c) => c.id.length));
  for (const c of r.checks) {
    lines.push(`  ${c.verdict.toUpperCase().padEnd(12)} ${c.id.padEnd(idWidth)} ${c.summary}`);
    if (!c.witness) continue;
    const witness = JSON.stringify(c.witness);
    const shown =
      witness.length <= WITNESS_CHARACTERS ? witness : `${witness.slice(0, WITNESS_CHARACTERS)}… (${witness.length} characters; --json has it whole)`;
    lines.push(`  ${''.padEnd(13 + idWidth)} witness: ${shown}`);
  }
  return lines.join('\n');
}

export function formatLibrary(entries: readonly LibraryEntry[]): string {
  return entries
    .map(
      (e) =>
        `${e.loss.name.padEnd(22)} ${e.family.padEnd(16)} ${e.loss.kind.padEnd(12)} ${e.loss.params
          .map((p) => `${p.name}=${p.value}`)
          .join(' ')
          .padEnd(22)} ${e.loss.cite ?? ''}${e.loss.description ? `\n${''.padEnd(23)}${e.loss.description}` : ''}`,
    )
    .join('\n');
}

/** One column per loss: value, gradient components, then each check's verdict. */
export function formatComparison(r: ComparisonReport): string {
  const at = Object.entries(r.at)
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? fmt(v) : `[${v.map(fmt).join(', ')}]`}`)
    .join(', ');
  const rows: string[][] = [['', ...r.losses.map((l) => l.loss)]];
  rows.push(['value', ...r.losses.map((l) => fmt(l.value))]);
  for (const name of Object.keys(r.losses[0]?.grad ?? {})) {
    rows.push([
      `d/d${name}`,
      ...r.losses.map((l) => {
        const g = l.grad[name];
        return g === undefined ? '' : typeof g === 'number' ? fmt(g) : `[${g.map(fmt).join(', ')}]`;
      }),
    ]);
  }
  for (const [id, byLoss] of Object.entries(r.verdicts)) rows.push([id, ...r.losses.map((l) => byLoss[l.loss] ?? '-')]);
  const widths = rows[0]?.map((_, j) => Math.max(...rows.map((row) => (row[j] ?? '').length))) ?? [];
  return [
    `${r.kind} losses at ${at} (values in ${r.precision}; checks on ${r.backend})`,
    ...rows.map((row) =>
      row
        .map((cell, j) => cell.padEnd(widths[j] ?? 0))
        .join('  ')
        .trimEnd(),
    ),
  ].join('\n');
}
