/**
 * Errors of the caching engine. Each message says what was wrong and with which value, so the UI
 * can show it as is.
 */

/** A cache config the engine cannot run: unknown method, parameter out of range, missing calibration profile. */
export class CacheConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheConfigError';
  }
}

/** A calibration profile that is corrupt (bad JSON or shape) or was made for another run setup. */
export class CacheProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheProfileError';
  }
}
