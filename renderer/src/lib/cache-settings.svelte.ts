/**
 * The Speed-up panel's choice: a caching method and the knobs of every method. Knobs are kept
 * per method, so trying TeaCache and going back to FORA finds FORA as it was left. `config` is
 * derived from the two, never stored, and is what plans and requests use.
 */
import type { CacheConfig } from '../../../contract/cache';
import { CACHE_METHODS, type CacheConfigOf, defaultCacheConfig } from '../../../core/cache/cache-config';
import type { CacheMethod } from '../../../core/cache/types';

type ConfigByMethod = { [M in CacheMethod]: CacheConfigOf<M> };

function defaults(): ConfigByMethod {
  const entries = CACHE_METHODS.map((m) => [m, defaultCacheConfig(m)] as const);
  return Object.fromEntries(entries) as ConfigByMethod;
}

export class CacheSettings {
  method = $state<CacheMethod>('none');
  #configs = $state.raw<ConfigByMethod>(defaults());

  readonly config: CacheConfig = $derived(this.#configs[this.method]);
  readonly enabled = $derived(this.method !== 'none');

  /** Replaces the current method's config (from the slider or the advanced knobs). */
  set(config: CacheConfig): void {
    this.#configs = { ...this.#configs, [config.method]: config };
    this.method = config.method;
  }

  /** What a request carries: nothing when caching is off. */
  toRequest(): CacheConfig | undefined {
    return this.enabled ? this.config : undefined;
  }

  /** "Reuse settings": the recipe's cache, or off when it ran uncached. */
  applyRecipe(cache: CacheConfig | undefined): void {
    if (cache) this.set(cache);
    else this.method = 'none';
  }
}
