/**
 * Request schemas of the job calls (jobs.list, jobs.cancel, jobs.retry), written with zod,
 * and the conversion of a zod failure into the studio's INVALID_REQUEST naming the field.
 *
 * Pure TypeScript (zod has no node or DOM dependency), like the rest of contract/.
 */
import { z } from 'zod';
import { LIMITS } from './api';
import { StudioError } from './errors';
import { JOB_ID_MAX, JOB_STATES, type JobsListQuery } from './jobs';

const jobId = z.string().trim().min(1).max(JOB_ID_MAX);

/** `{ jobId }` of jobs.cancel and jobs.retry. */
export const jobIdRequestSchema = z.object({ jobId }).strict();

/** jobs.list: every field optional, and no body at all means `{}`. */
export const jobsListSchema = z
  .object({
    limit: z.int().min(1).max(LIMITS.historyPageMax).optional(),
    state: z.enum(JOB_STATES).optional(),
  })
  .strict()
  .nullish()
  .transform((query): JobsListQuery => {
    const out: JobsListQuery = {};
    if (query?.limit !== undefined) out.limit = query.limit;
    if (query?.state !== undefined) out.state = query.state;
    return out;
  });

/**
 * Parses `value` with `schema` for call `call`; a failure becomes
 * StudioError('INVALID_REQUEST', '<call>: <field>: <zod message>', field).
 */
export function parseWith<T>(call: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'request' : issue.path.join('.');
  throw new StudioError('INVALID_REQUEST', `${call}: ${field}: ${issue?.message ?? 'invalid request'}`, field);
}
