/** The `losslab.kernels` setting's values; a file of its own so the webview's bundle can name them. */
export type KernelChoice = 'fused' | 'webgpu' | 'tfjs';
export const KERNEL_CHOICES: readonly KernelChoice[] = ['fused', 'webgpu', 'tfjs'];
