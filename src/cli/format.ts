/** Plain-text renderings of results for people; `--json` prints the contract's JSON instead. */
import type { CheckReport } from '../core/checks/report';
import type { LibraryEntry } from '../core/library/catalogue';
import type { PointResult } from '../core/results';

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(8));

export function formatPoint(r: PointResult): string {
  const lines = [`${r.loss} (${r.kind}, ${r.backend})`, `  value  ${fmt(r.value)}`];
  for (const [name, g] of Object.entries(r.grad)) lines.push(`  d/d${name}  ${typeof g === 'number' ? fmt(g) : `[${g.map(fmt).join(', ')}]`}`);
  return lines.join('\n');
}

export function formatCheckReport(r: CheckReport): string {
  const params = Object.entries(r.params)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
  const lines = [`${r.loss} (${r.kind}${params ? `; ${params}` : ''})`];
  for (const c of r.checks) {
    lines.push(`  ${c.verdict.toUpperCase().padEnd(12)} ${c.id.padEnd(12)} ${c.summary}`);
    if (c.witness) lines.push(`  ${''.padEnd(25)} witness: ${JSON.stringify(c.witness)}`);
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
          .padEnd(22)} ${e.loss.cite ?? ''}`,
    )
    .join('\n');
}
