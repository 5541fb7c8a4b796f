let readoutDigits = 4;

/** The `losslab.readout.precision` setting: every read-out of the panel uses it. */
export function setReadoutDigits(digits: number): void {
  readoutDigits = digits;
}

/** Numbers as a researcher reads them: a few significant digits, exponents for the very large or small. */
export function formatNumber(v: number | null | undefined, digits = readoutDigits): string {
  if (v === null || v === undefined || Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  const magnitude = Math.abs(v);
  if (magnitude >= 1e5 || magnitude < 1e-3) return v.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(digits)));
}

export function formatParams(params: Readonly<Record<string, number>>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name} = ${formatNumber(value)}`)
    .join(', ');
}
