/**
 * Label noise on training labels. Symmetric noise at rate r replaces a label, with probability
 * r, by one of the other K - 1 classes chosen uniformly: the noise model under which a
 * symmetric loss is robust when r < (K - 1) / K (Ghosh, Kumar & Sastry 2017). Asymmetric
 * (class-flip) noise moves class k to class k + 1 mod K with probability r, the pair-flip noise
 * of Han et al. 2018 (Co-teaching); with two classes only the positive class flips, the
 * class-conditional noise of Natarajan et al. 2013 with rates (0, r).
 */
export const NOISE_TYPES = ['symmetric', 'asymmetric'] as const;
export type NoiseType = (typeof NOISE_TYPES)[number];

export function isNoiseType(text: string): text is NoiseType {
  return (NOISE_TYPES as readonly string[]).includes(text);
}

/** A noisy copy of `labels`; each label flips independently. */
export function corruptLabels(labels: Int32Array, classes: number, rate: number, type: NoiseType, random: () => number): Int32Array {
  const noisy = Int32Array.from(labels);
  if (rate <= 0) return noisy;
  for (let i = 0; i < noisy.length; i++) {
    const y = noisy[i] as number;
    if (type === 'asymmetric' && classes === 2 && y === 0) continue;
    if (random() >= rate) continue;
    if (type === 'asymmetric') noisy[i] = (y + 1) % classes;
    else {
      // One of the other classes, uniformly: draw among K - 1 and skip y.
      const other = Math.floor(random() * (classes - 1));
      noisy[i] = other >= y ? other + 1 : other;
    }
  }
  return noisy;
}
