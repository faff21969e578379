/**
 * The scheduler overrides that can run a model: "model's own" always, then only the samplers of
 * the model's family (ε/v/x₀ samplers for a DDPM-family model, flow-match Euler for a flow
 * model), so the form never offers a choice the back end would refuse after Generate.
 */
import { SCHEDULER_NAMES, type SchedulerName } from '../../../contract/api';
import { lookupSchedulerClass, SAMPLER_FAMILY } from '../../../core/sampler/scheduler-families';

/** @param schedulerClass the model's scheduler_config.json class; unknown or absent offers only the model's own */
export function schedulerChoices(schedulerClass: string | undefined): SchedulerName[] {
  const entry = schedulerClass === undefined ? undefined : lookupSchedulerClass(schedulerClass);
  return SCHEDULER_NAMES.filter((name) => name === 'default' || (entry !== undefined && SAMPLER_FAMILY[name] === entry.family));
}
