/**
 * `studio generate`'s hybrid flags:
 *   --hybrid LARGE:K,SMALL        LARGE runs K of the steps, SMALL the rest (LARGE replaces --model)
 *   --order large-first|small-first   which model starts (default large-first, as Hybrid SD)
 *   --tiny-vae                    decode with LARGE's tiny VAE decoder
 *   --remote URL                  run LARGE's steps on a v2 server (…/v2/models/NAME)
 *   --remote-token T              bearer token for --remote
 *   --remote-fallback local       finish on the local LARGE if the server fails mid-run
 * The result is checked with the rest of the request by validateGenerateRequest.
 */
import type { GenerateRequest } from '../../contract/api';
import { HYBRID_ORDERS } from '../../core/hybrid/hybrid-plan';
import { choiceOption, UsageError } from './cli-options';

export const HYBRID_OPTIONS = {
  hybrid: { type: 'string' },
  order: { type: 'string' },
  'tiny-vae': { type: 'boolean' },
  remote: { type: 'string' },
  'remote-token': { type: 'string' },
  'remote-fallback': { type: 'string' },
} as const;

export interface HybridFlags {
  hybrid?: string;
  order?: string;
  'tiny-vae'?: boolean;
  remote?: string;
  'remote-token'?: string;
  'remote-fallback'?: string;
}

const SPEC = /^([^:,]+):(\d+),(.+)$/;

/** The large model id and the request's hybrid field; undefined when --hybrid is absent. @throws UsageError */
export function parseHybridOptions(values: HybridFlags): { large: string; hybrid: NonNullable<GenerateRequest['hybrid']> } | undefined {
  if (values.hybrid === undefined) {
    const stray = (['order', 'tiny-vae', 'remote', 'remote-token', 'remote-fallback'] as const).filter((k) => values[k] !== undefined);
    if (stray.length > 0) throw new UsageError(`--${stray[0]} needs --hybrid LARGE:K,SMALL`);
    return undefined;
  }
  const m = SPEC.exec(values.hybrid.trim());
  if (m === null) throw new UsageError(`--hybrid must look like LARGE:K,SMALL (e.g. emoji:20,emoji-small), got "${values.hybrid}"`);
  const [, large, k, small] = m as unknown as [string, string, string, string];
  if (values['remote-token'] !== undefined && values.remote === undefined) throw new UsageError('--remote-token needs --remote URL');
  if (values['remote-fallback'] !== undefined && values.remote === undefined) throw new UsageError('--remote-fallback needs --remote URL');
  return {
    large: large.trim(),
    hybrid: {
      small: small.trim(),
      largeSteps: Number(k),
      order: choiceOption('order', values.order, HYBRID_ORDERS, 'large-first'),
      tinyVae: values['tiny-vae'] ?? false,
      ...(values.remote === undefined
        ? {}
        : {
            remote: {
              url: values.remote,
              ...(values['remote-token'] === undefined ? {} : { token: values['remote-token'] }),
              fallback: choiceOption('remote-fallback', values['remote-fallback'], ['fail', 'local'] as const, 'fail'),
            },
          }),
    },
  };
}
