/**
 * The request schema of every call, keyed by call name. A new call in `StudioCalls`
 * (contract/api.ts) registers its schema here; the mapped type makes a missing entry, or a
 * schema whose output is not the call's request type, a compile error.
 */
import type { z } from 'zod';
import type { CallName, CallRequest } from './api';
import { benchChartRequestSchema, benchListRequestSchema, benchStartRequestSchema } from './bench-schemas';
import { modelCardRequestSchema, modelDeleteRequestSchema, modelImportRequestSchema } from './model-schemas';
import { modelUploadBeginSchema, modelUploadChunkSchema, modelUploadIdSchema } from './model-upload';
import { recordIdsSchema, setFavouriteSchema } from './gallery';
import { jobIdRequestSchema, jobMoveSchema, jobsListSchema } from './job-schemas';
import { recipeFromPngSchema } from './recipe-import';
import {
  quantizeInfoRequestSchema,
  quantizeRequestSchema,
  cachePlanRequestSchema,
  cacheRecommendRequestSchema,
  emptyRequestSchema,
  generateRequestSchema,
  historyQuerySchema,
  hybridPartnersRequestSchema,
  profileImportSchema,
  profileStartRequestSchema,
  profilesListSchema,
  promptTokensRequestSchema,
  recordIdRequestSchema,
  remoteCheckRequestSchema,
} from './request-schema';

export const CALL_SCHEMAS: { readonly [K in CallName]: z.ZodType<CallRequest<K>> } = {
  'app.info': emptyRequestSchema('app.info'),
  'models.list': emptyRequestSchema('models.list'),
  'providers.list': emptyRequestSchema('providers.list'),
  'generate.start': generateRequestSchema,
  'history.list': historyQuerySchema,
  'history.get': recordIdRequestSchema('history.get'),
  'history.setFavourite': setFavouriteSchema,
  'history.delete': recordIdsSchema('history.delete'),
  'history.restore': recordIdsSchema('history.restore'),
  'cache.plan': cachePlanRequestSchema,
  'cache.recommend': cacheRecommendRequestSchema,
  'profiles.list': profilesListSchema,
  'profiles.start': profileStartRequestSchema,
  'profiles.export': recordIdRequestSchema('profiles.export'),
  'profiles.import': profileImportSchema,
  'profiles.delete': recordIdRequestSchema('profiles.delete'),
  'jobs.list': jobsListSchema,
  'jobs.cancel': jobIdRequestSchema,
  'jobs.retry': jobIdRequestSchema,
  'jobs.move': jobMoveSchema,
  'jobs.queue': emptyRequestSchema('jobs.queue'),
  'recipe.fromPng': recipeFromPngSchema,
  'hybrid.partners': hybridPartnersRequestSchema,
  'hybrid.checkRemote': remoteCheckRequestSchema,
  'bench.start': benchStartRequestSchema,
  'bench.list': benchListRequestSchema,
  'bench.chart': benchChartRequestSchema,
  'models.import': modelImportRequestSchema,
  'models.card': modelCardRequestSchema,
  'models.delete': modelDeleteRequestSchema,
  'models.uploadBegin': modelUploadBeginSchema,
  'models.uploadChunk': modelUploadChunkSchema,
  'models.uploadFinish': modelUploadIdSchema('models.uploadFinish'),
  'models.uploadCancel': modelUploadIdSchema('models.uploadCancel'),
  'quantize.start': quantizeRequestSchema,
  'quantize.info': quantizeInfoRequestSchema,
  'prompt.tokens': promptTokensRequestSchema,
};
