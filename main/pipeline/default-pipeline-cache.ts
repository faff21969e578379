/**
 * The process-wide cache of loaded pipelines, shared by every caller that does not bring its
 * own (generation, calibration profiles, benchmarks, evals): two loaded pipelines, the pair a
 * hybrid run needs at once (their shared components loaded once), and never more, so switching
 * models does not pile up ORT sessions in memory. It lives apart from any one caller so that
 * generation and calibration do not import each other.
 */
import { PipelineCache } from '../runtime/loaded-pipeline';

export const defaultPipelineCache = new PipelineCache(2);
