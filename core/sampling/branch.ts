/**
 * Classifier-free guidance branches: 'uncond' is the negative (or empty) prompt, 'cond' the
 * prompt. Without guidance only 'cond' runs. A batched model call orders them as diffusers does:
 * [uncond, cond].
 */
export type Branch = 'cond' | 'uncond';

export const BRANCHES: readonly Branch[] = ['uncond', 'cond'];
