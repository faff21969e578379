/**
 * Thrown when a scheduler_config.json (or a steps count or override) cannot run.
 *
 * Lives in its own module so the config readers and every scheduler can throw it without
 * an import cycle through create-scheduler.ts, which re-exports it as the public name.
 * The message always names the offending field, e.g.
 * `scheduler_config.json: "beta_start" must be a finite number, got "abc"`.
 */
export class SchedulerConfigError extends Error {
  override readonly name = 'SchedulerConfigError';
}
