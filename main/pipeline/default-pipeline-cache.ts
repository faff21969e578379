/**
 * The process-wide cache of loaded pipelines, shared by every caller that does not bring its
 * own (generation, calibration profiles, benchmarks, evals): one loaded pipeline at a time, so
 * switching between them never holds two models' ORT sessions in memory. It lives apart from
 * any one caller so that generation and calibration do not import each other.
 */
import { PipelineCache } from '../runtime/loaded-pipeline';

export const defaultPipelineCache = new PipelineCache(1);
