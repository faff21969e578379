/**
 * Error codes shared by every layer. Errors crossing a process boundary travel as
 * `ApiError` data, never as thrown objects; the UI switches on `code` exhaustively.
 */
export const ERROR_CODES = [
  'INVALID_REQUEST', // a field is missing, of the wrong type or out of range
  'MODEL_NOT_FOUND', // no such model id or directory
  'MODEL_LAYOUT', // the folder lacks a part of the diffusers ONNX layout
  'MODEL_CORRUPT', // a model file exists but cannot be parsed (truncated, LFS pointer, ...)
  'PROMPT_TOO_LONG', // more tokens than the text encoder accepts
  'PROVIDER_UNAVAILABLE', // an execution provider was requested that cannot initialize
  'JOB_NOT_FOUND',
  'CANCELLED',
  'NOT_FOUND', // e.g. a history id that does not exist
  'STORE', // SQLite failure
  'REMOTE_UNAVAILABLE', // a model server cannot be reached, timed out or dropped the connection
  'REMOTE_AUTH', // a model server refused the bearer token (HTTP 401/403)
  'REMOTE_PROTOCOL', // a model server answered with something that is not the model's v2 response
  'UNAUTHORIZED', // browser mode: the request lacks the server's access token
  'BUSY', // browser mode: the server is receiving as much request data as it takes at once; retry shortly
  'ENCODER', // an export's encoder is missing (ffmpeg not installed, a codec this browser lacks) or failed
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  /** A sentence for the user: what is wrong and, where possible, what to do. */
  message: string;
  /** Which field or file the error is about, when there is one. */
  detail?: string;
}

/** Thrown inside the back end; converted to ApiError at the boundary by `toApiError`. */
export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly detail?: string;
  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
    this.detail = detail;
  }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof StudioError) {
    return err.detail === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, detail: err.detail };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && (ERROR_CODES as readonly string[]).includes(v.code) && typeof v.message === 'string';
}
