/**
 * Values for a program's leaves over a batch of `rows` points. A scalar leaf takes a number
 * (the same for every row) or one value per row; a vector leaf takes K values (the same for
 * every row) or rows × K values, row-major.
 */
export type LeafValue = number | Float64Array | Float32Array | readonly number[];

export interface Bindings {
  readonly rows: number;
  readonly values: Readonly<Record<string, LeafValue>>;
}

/** A value as a flat array with its layout: `rows` is 1 (broadcast) or the batch size. */
export interface Column {
  readonly data: Float64Array;
  readonly rows: number;
  readonly width: number;
}

export function leafColumn(value: LeafValue | undefined, name: string, batchRows: number, width: number): Column {
  if (value === undefined) throw new Error(`no value bound for '${name}'`);
  if (typeof value === 'number') {
    return { data: new Float64Array(width).fill(value), rows: 1, width };
  }
  const data = Float64Array.from(value);
  if (data.length === width) return { data, rows: 1, width };
  if (data.length === batchRows * width) return { data, rows: batchRows, width };
  throw new Error(`'${name}' has ${data.length} values; expected ${width} or ${batchRows * width} (${batchRows} rows of ${width})`);
}
