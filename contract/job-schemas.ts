/**
 * Request schemas of the job calls (jobs.list, jobs.cancel, jobs.retry, jobs.move), written with zod and
 * registered in CALL_SCHEMAS (contract/call-schema.ts).
 *
 * Pure TypeScript (zod has no node or DOM dependency), like the rest of contract/.
 */
import { z } from 'zod';
import { LIMITS } from './api';
import { JOB_ID_MAX, JOB_MOVES, JOB_STATES, type JobsListQuery } from './jobs';

const jobId = z.string().trim().min(1).max(JOB_ID_MAX);

/** `{ jobId }` of jobs.cancel and jobs.retry. */
export const jobIdRequestSchema = z.object({ jobId }).strict();

/** jobs.move: a queued job and where it goes. */
export const jobMoveSchema = z.object({ jobId, to: z.enum(JOB_MOVES) }).strict();

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
