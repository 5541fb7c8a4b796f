/**
 * The shape of an IR value: a scalar per row, or a vector of K entries per row (K being the
 * graph's number of classes). The op table, the graph, the executors and export read it from
 * here, so that it can grow to named sizes and higher ranks in one place.
 */
export type Shape = 'scalar' | 'vector';
