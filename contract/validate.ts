/**
 * Runtime checking of every request in `StudioCalls`, at the boundary where it enters the back
 * end (IPC, HTTP, argv): the types in `contract/api.ts` vanish there. `validateCallRequest`
 * parses a request with its schema from CALL_SCHEMAS and returns a fresh object holding only
 * the known fields (defaults filled in); the layers behind take that typed value and do not
 * check it again. A failure throws `StudioError('INVALID_REQUEST', message, field)` whose
 * message names the field, the rule and the offending value, e.g.
 * `seed must be an integer between 0 and 4294967295 (got "abc")`.
 *
 * Pure TypeScript: no node, electron or DOM imports, so the renderer can reuse it for
 * form checks.
 */
import type { z } from 'zod';
import { formatIssuePath } from '../core/schema/issue-path';
import { CALL_NAMES, type CallName, type CallRequest } from './api';
import { CALL_SCHEMAS } from './call-schema';
import { StudioError } from './errors';
import { describeValue } from './field-schema';
import type { CachePlanRequest, GenerateRequest, HistoryQuery, ProfileStartRequest } from './request-schema';

export { describeValue };

const EXPECTED: Readonly<Record<string, string>> = {
  object: 'a JSON object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

/**
 * Predicates for the issues of schemas that bring no message of their own, in the same words
 * as contract/field-schema.ts; undefined keeps zod's text.
 */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  const got = `(got ${describeValue(issue.input)})`;
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${EXPECTED[issue.expected] ?? issue.expected} ${got}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')} ${got}`;
    case 'unrecognized_keys':
      return `has an unknown field "${issue.keys[0]}"`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      return `must be at least ${issue.minimum} ${got}`;
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${issue.maximum} characters` : `must be at most ${issue.maximum} ${got}`;
    default:
      return undefined;
  }
}

/**
 * The issue the user is told about (an unknown field first: with a typo such as `cfgScale`, the
 * typo is the problem, not the missing `cfg`) as one StudioError about its field.
 */
function requestError(call: string, error: z.ZodError): StudioError {
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  if (issue === undefined) return new StudioError('INVALID_REQUEST', `${call} request is invalid`, 'request');
  if (issue.code === 'unrecognized_keys') return new StudioError('INVALID_REQUEST', `${call} request ${issue.message}`, issue.keys[0]);
  const field = issue.path.length === 0 ? 'request' : formatIssuePath(issue.path);
  if (issue.code === 'custom') return new StudioError('INVALID_REQUEST', issue.message, field);
  return new StudioError('INVALID_REQUEST', `${issue.path.length === 0 ? `${call} request` : field} ${issue.message}`, field);
}

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && (CALL_NAMES as readonly string[]).includes(name);
}

/**
 * Validates the request of any call. An unknown call name is itself an INVALID_REQUEST
 * (the name comes from a URL or an IPC channel, so it is untrusted too).
 */
export function validateCallRequest<K extends CallName>(name: K, raw: unknown): CallRequest<K> {
  if (!isCallName(name)) {
    throw new StudioError('INVALID_REQUEST', `Unknown call ${describeValue(name)} (known calls: ${CALL_NAMES.join(', ')})`, 'call');
  }
  const schema = CALL_SCHEMAS[name] as z.ZodType<CallRequest<K>>;
  const result = schema.safeParse(raw, { error: describeIssue });
  if (!result.success) throw requestError(name, result.error);
  return result.data;
}

/** One text-to-image request; defaults: `negativePrompt` '', `provider` 'auto', `scheduler` 'default'. */
export const validateGenerateRequest = (raw: unknown): GenerateRequest => validateCallRequest('generate.start', raw);
export const validateHistoryQuery = (raw: unknown): HistoryQuery => validateCallRequest('history.list', raw);
export const validateCachePlanRequest = (raw: unknown): CachePlanRequest => validateCallRequest('cache.plan', raw);
export const validateProfileStartRequest = (raw: unknown): ProfileStartRequest => validateCallRequest('profiles.start', raw);
