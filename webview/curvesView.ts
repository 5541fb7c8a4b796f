/**
 * How the curves are looked at, apart from what they are: which of value, gradient and
 * curvature are shown, the y scale, the zoomed x window, the cursor a check's witness put down,
 * and whether the difference to a compared loss is drawn. The panel's own state (the host never
 * sets it), changed only by the pure functions below and saved with the rest.
 */
export type Order = 'value' | 'first' | 'second';

export const ORDER_NAMES: readonly Order[] = ['value', 'first', 'second'];

/** `symlog`: sign(y)·asinh(|y|/c), linear within c of zero and logarithmic beyond. */
export type YScale = 'linear' | 'symlog';

export interface CurvesView {
  readonly shown: Readonly<Record<Order, boolean>>;
  readonly yScale: YScale;
  /** The x window of a zoom, inside the computed range; absent: the whole range. */
  readonly zoom?: readonly [number, number];
  /** A vertical marker at this input (a check's witness). */
  readonly cursor?: number;
  /** Draw shown minus compared, when a loss is compared. */
  readonly difference: boolean;
  /** The input range the user asked for (the number boxes); absent: the kind's default. Restored after a reload. */
  readonly range?: readonly [number, number];
}

export const DEFAULT_CURVES_VIEW: CurvesView = { shown: { value: true, first: true, second: true }, yScale: 'linear', difference: false };

/** Another loss: the series and scale chosen carry over; zoom, cursor and range were about the one before. */
export function forOtherLoss(view: CurvesView): CurvesView {
  const { zoom: _zoom, cursor: _cursor, range: _range, ...rest } = view;
  return rest;
}

export function toggleOrder(view: CurvesView, order: Order, shown: boolean): CurvesView {
  return { ...view, shown: { ...view.shown, [order]: shown } };
}

export function withYScale(view: CurvesView, yScale: YScale): CurvesView {
  return { ...view, yScale };
}

/** A range asked for replaces the zoom: the new curves span it. */
export function withRange(view: CurvesView, range: readonly [number, number]): CurvesView {
  const { zoom: _dropped, ...rest } = view;
  return { ...rest, range };
}

export function withDifference(view: CurvesView, difference: boolean): CurvesView {
  return { ...view, difference };
}

export function withCursor(view: CurvesView, cursor: number | undefined): CurvesView {
  const { cursor: _dropped, ...rest } = view;
  return cursor === undefined || !Number.isFinite(cursor) ? rest : { ...rest, cursor };
}

/**
 * Zooms to [a, b] (in either order) clipped to the computed `range`; a window narrower than a
 * millionth of the range is a click, not a drag, and changes nothing. `undefined` resets.
 */
export function withZoom(view: CurvesView, window: readonly [number, number] | undefined, range: readonly [number, number]): CurvesView {
  const { zoom: _dropped, ...rest } = view;
  if (window === undefined) return rest;
  const lo = Math.max(Math.min(window[0], window[1]), range[0]);
  const hi = Math.min(Math.max(window[0], window[1]), range[1]);
  if (!(hi - lo > (range[1] - range[0]) * 1e-6)) return view;
  if (lo <= range[0] && hi >= range[1]) return rest;
  return { ...rest, zoom: [lo, hi] };
}

/**
 * Moves the zoomed window by `fraction` of its width (negative: left), stopping at the edges of
 * the computed range; the width is kept. Without a zoom there is nothing to pan.
 */
export function panZoom(view: CurvesView, fraction: number, range: readonly [number, number]): CurvesView {
  if (!view.zoom) return view;
  const [lo, hi] = view.zoom;
  const width = hi - lo;
  const shift = Math.max(range[0] - lo, Math.min(range[1] - hi, fraction * width));
  return { ...view, zoom: [lo + shift, hi + shift] };
}

/** The x window drawn: the zoom when it still lies in the range (the range may have changed since), else the range. */
export function visibleWindow(view: CurvesView, range: readonly [number, number]): readonly [number, number] {
  const zoom = view.zoom;
  if (zoom && zoom[0] >= range[0] && zoom[1] <= range[1] && zoom[1] > zoom[0]) return zoom;
  return range;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A saved view from an older panel may not fit: the defaults then. */
export function restoreCurvesView(saved: unknown): CurvesView {
  if (!isRecord(saved) || !isRecord(saved.shown)) return DEFAULT_CURVES_VIEW;
  const shown = saved.shown;
  const flag = (order: Order): boolean => (typeof shown[order] === 'boolean' ? (shown[order] as boolean) : true);
  let view: CurvesView = {
    shown: { value: flag('value'), first: flag('first'), second: flag('second') },
    yScale: saved.yScale === 'symlog' ? 'symlog' : 'linear',
    difference: saved.difference === true,
  };
  const zoom = savedInterval(saved.zoom);
  if (zoom) view = { ...view, zoom };
  const range = savedInterval(saved.range);
  if (range) view = { ...view, range };
  if (typeof saved.cursor === 'number') view = withCursor(view, saved.cursor);
  return view;
}

/** [a, b] with finite a < b, from a saved state that may hold anything. */
export function savedInterval(v: unknown): readonly [number, number] | undefined {
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const [a, b] = v as unknown[];
  return typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b) && a < b ? [a, b] : undefined;
}
