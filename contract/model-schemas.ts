/**
 * Request schemas of the model manager's calls (models.import, models.card, models.delete),
 * registered in CALL_SCHEMAS (contract/call-schema.ts).
 */
import { oneOf, requestObject, text } from './field-schema';

/** 4096 is PATH_MAX on Linux. */
const modelId = () => text(4096, { nonEmpty: true });

export const modelImportRequestSchema = requestObject(
  'models.import',
  {
    path: text(4096, { nonEmpty: true }),
    mode: oneOf(['copy', 'link'] as const).default('copy'),
  },
  { allowEmpty: false },
);

export const modelCardRequestSchema = requestObject('models.card', { id: modelId() }, { allowEmpty: false });

export const modelDeleteRequestSchema = requestObject('models.delete', { id: modelId() }, { allowEmpty: false });
