/**
 * Unwraps the `CallResult` envelope every call returns. Both transports (preload and
 * HTTP) share it so that a malformed reply fails the same, readable way in both.
 */
import type { CallResult } from '../../../contract/api';
import { isApiError } from '../../../contract/errors';
import { ClientError } from './client-error';

export function unwrap<T>(reply: unknown, what: string): T {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
    const result = reply as CallResult<T>;
    if (result.ok) return result.value;
    if (isApiError(result.error)) throw new ClientError(result.error);
  }
  throw new ClientError({
    code: 'INTERNAL',
    message: `The studio back end sent a reply to ${what} that is not a result envelope.`,
  });
}
