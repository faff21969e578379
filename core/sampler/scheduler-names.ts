/**
 * Scheduler names a request may pick to override the model's own scheduler_config.json.
 * 'default' keeps the model's scheduler; the others map to a scheduler family
 * (scheduler-families.ts). The list lives in core because the sampler resolves it; the API
 * contract re-exports it for requests and UI choices.
 */
export const SCHEDULER_NAMES = ['default', 'ddim', 'euler', 'dpmpp-2m', 'flow-euler'] as const;
export type SchedulerName = (typeof SCHEDULER_NAMES)[number];
