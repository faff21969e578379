/**
 * Ctrl-C for the long-running commands (generate, profile, bench): the first SIGINT aborts
 * the returned signal, so the work stops after the current step and saves nothing; a second
 * one exits at once with 130.
 */
export interface Interrupt {
  signal: AbortSignal;
  /** Removes the SIGINT handler. */
  dispose(): void;
}

export function onInterrupt(what = 'after the current step'): Interrupt {
  const controller = new AbortController();
  let interrupts = 0;
  const handler = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(`\nstudio: cancelling ${what} (Ctrl-C again to quit now)\n`);
      controller.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', handler);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', handler) };
}
