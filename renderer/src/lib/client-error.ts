/**
 * The renderer's one error type. Calls never reject with anything else, so every `catch`
 * in the UI can show `code` and `message` without guessing what it caught.
 */
import { toApiError, type ApiError } from '../../../contract/errors';

export class ClientError extends Error {
  readonly apiError: ApiError;

  constructor(apiError: ApiError) {
    super(apiError.message);
    this.name = 'ClientError';
    this.apiError = apiError;
  }

  get code(): ApiError['code'] {
    return this.apiError.code;
  }
}

/** Any caught value as an ApiError; a bug in the renderer itself shows as INTERNAL. */
export function asApiError(err: unknown): ApiError {
  return err instanceof ClientError ? err.apiError : toApiError(err);
}
