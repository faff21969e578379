/**
 * What a hybrid run cost, per model: model calls (a batched CFG call counts once), multiply-
 * accumulates where the model's per-call MACs are known, and the share of the run's compute the
 * large model did. The share is by MACs when both models' MACs are known, else by measured model
 * time (ms inside each model's calls), and says which.
 */
import type { StepPlan } from '../sampling/step-plan';
import { LARGE, SMALL } from './hybrid-plan';

export interface ModelCost {
  calls: number;
  /** MACs per call at the run's batch (×2 under CFG), or null when unknown. */
  macs: number | null;
  /** Milliseconds inside this model's calls. */
  modelMs: number;
}

export interface HybridCost {
  large: ModelCost;
  small: ModelCost;
  /** Large model's share of the run's compute, 0..1. */
  largeShare: number;
  shareBasis: 'macs' | 'time';
}

/**
 * @param computeSteps per step, whether a model ran (caching may skip steps)
 * @param macsPerCall MACs of one batch-1 call per model key, when known
 * @param batch 2 under CFG (both branches in one call), else 1
 */
export function hybridCost(plan: StepPlan, computeSteps: readonly boolean[], modelMs: ReadonlyMap<string, number>, macsPerCall: Partial<Record<string, number>>, batch: number): HybridCost {
  const cost = (key: string): ModelCost => {
    const calls = plan.filter((m, i) => m === key && computeSteps[i] === true).length;
    const perCall = macsPerCall[key];
    return { calls, macs: perCall === undefined ? null : calls * perCall * batch, modelMs: modelMs.get(key) ?? 0 };
  };
  const large = cost(LARGE);
  const small = cost(SMALL);
  const byMacs = large.macs !== null && small.macs !== null;
  const [l, s] = byMacs ? [large.macs as number, small.macs as number] : [large.modelMs, small.modelMs];
  return { large, small, largeShare: l + s > 0 ? l / (l + s) : 0, shareBasis: byMacs ? 'macs' : 'time' };
}
