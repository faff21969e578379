/**
 * Shared model runners: one loaded session per (component hash, variant, provider), however many
 * pipelines use it. Loading `emoji` and `emoji-small` together (a hybrid pair) opens their shared
 * text encoder and VAE decoder once.
 *
 * Reference counted: each acquire is matched by a release, and the runner is disposed when the
 * last user releases it. A load that fails is not kept, so the next acquire tries again.
 */
import type { ModelRunner } from './runner';

interface Entry<R extends ModelRunner> {
  runner: Promise<R>;
  users: number;
}

export class RunnerPool<R extends ModelRunner = ModelRunner> {
  private readonly entries = new Map<string, Entry<R>>();

  /** The runner under `key`, opening it with `open` on a miss. */
  async acquire(key: string, open: () => Promise<R>): Promise<R> {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const runner = open();
      entry = { runner, users: 0 };
      this.entries.set(key, entry);
      runner.catch(() => {
        if (this.entries.get(key)?.runner === runner) this.entries.delete(key);
      });
    }
    entry.users++;
    try {
      return await entry.runner;
    } catch (err) {
      entry.users--;
      throw err;
    }
  }

  /** Gives back one use of `key`; disposes the runner when nobody uses it any more. */
  async release(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    entry.users--;
    if (entry.users > 0) return;
    this.entries.delete(key);
    await entry.runner.then((r) => r.dispose()).catch(() => undefined);
  }

  /** Keys currently loaded (for tests and diagnostics). */
  keys(): string[] {
    return [...this.entries.keys()];
  }
}

/** Pool key of a component's runner. */
export function runnerKey(hash: string, variant: string, provider: string, file: string): string {
  return `${hash}:${variant}:${provider}:${file}`;
}
