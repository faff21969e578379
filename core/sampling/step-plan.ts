/**
 * Which model runs each denoising step: a list of model keys, one per step. A plain run uses one
 * model everywhere; hybrid sampling (a large model for the first K steps, a small one for the
 * rest, or the reverse) is a plan with two keys. The loop looks each key up in its model table,
 * so a key can name a local or a remote runner alike.
 */
export type StepPlan = readonly string[];

/** One model for all `steps`. */
export function uniformPlan(steps: number, model: string): StepPlan {
  return Array.from({ length: steps }, () => model);
}

/** `first` for steps 0..k−1, `rest` for k..steps−1 (k clamped to 0..steps). */
export function splitPlan(steps: number, first: string, k: number, rest: string): StepPlan {
  const cut = Math.max(0, Math.min(steps, Math.floor(k)));
  return Array.from({ length: steps }, (_, i) => (i < cut ? first : rest));
}
