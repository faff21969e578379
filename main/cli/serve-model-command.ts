/**
 * `studio serve-model [--model ID] [--component C] [--port P] [--host H] [--token T] [--provider P]`
 *
 * Serves one ONNX component of a pipeline (the denoiser by default) over the Open Inference
 * Protocol (main/serving/v2-server.ts), so another studio can run it with `--remote URL`.
 * Prints the model's URL on one line of stdout once listening; SIGINT/SIGTERM stop it after
 * requests in progress finish.
 */
import { parseArgs } from 'node:util';
import { PROVIDER_CHOICES } from '../../contract/api';
import { OrtRunner } from '../runtime/ort-runner';
import { componentFile } from '../serving/component-file';
import { DEFAULT_MAX_BODY_BYTES, startV2Server, type V2Server } from '../serving/v2-server';
import type { CliContext } from './cli-context';
import { choiceOption, integerOption, UsageError } from './cli-options';

export const SERVE_MODEL_DEFAULTS = { port: 8000, host: '127.0.0.1' } as const;

export const SERVE_MODEL_HELP = `Usage: studio serve-model [--model ID] [--component C] [--port P] [options]

Serves one model of a pipeline over the Open Inference Protocol (KServe v2 REST, with
Triton's binary tensor extension) and prints its URL, e.g.
http://127.0.0.1:8000/v2/models/emoji-transformer. Ctrl-C stops it.

  --model ID|DIR    model (default: the default model)
  --component C     folder of the ONNX file to serve (default: the denoiser, transformer or unet)
  --port P          port, 0 for any free one (default: ${SERVE_MODEL_DEFAULTS.port})
  --host H          interface to listen on (default: ${SERVE_MODEL_DEFAULTS.host}, this machine only)
  --token T         require "Authorization: Bearer T" (default: env STUDIO_SERVE_TOKEN, else none)
  --provider P      ${PROVIDER_CHOICES.join(' | ')} (default: auto)
  --max-body-mb N   largest request body in MiB (default: ${DEFAULT_MAX_BODY_BYTES / 2 ** 20})`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function listen(start: () => Promise<V2Server>, host: string, port: number): Promise<V2Server> {
  return start().catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${host} is in use; pick another --port`);
    if (err.code === 'EACCES') throw new UsageError(`not allowed to listen on ${host}:${port}`);
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') throw new UsageError(`--host ${host} is not an address of this machine`);
    throw err;
  });
}

/** Resolves when the process is asked to stop. */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

export async function serveModelCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' }, component: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' },
      token: { type: 'string' }, provider: { type: 'string' }, 'max-body-mb': { type: 'string' },
    },
    strict: true,
  });
  const port = integerOption('port', values.port, 0, 65535, SERVE_MODEL_DEFAULTS.port);
  const host = values.host ?? SERVE_MODEL_DEFAULTS.host;
  const maxBodyBytes = integerOption('max-body-mb', values['max-body-mb'], 1, 4096, DEFAULT_MAX_BODY_BYTES / 2 ** 20) * 2 ** 20;
  const token = values.token ?? process.env.STUDIO_SERVE_TOKEN;
  if (token !== undefined && token.trim() === '') throw new UsageError('--token must not be empty');
  const provider = choiceOption('provider', values.provider, PROVIDER_CHOICES, 'auto');
  const model = ctx.registry.resolve(values.model ?? ctx.registry.defaultModel().id);
  const target = componentFile(model, values.component);
  const runner = await OrtRunner.create(target.file, { label: target.label, provider });
  try {
    const log = (line: string): void => void process.stderr.write(`studio: ${line}\n`);
    const server = await listen(
      () => startV2Server({ models: [{ name: target.name, runner }], host, port, maxBodyBytes, version: ctx.appVersion, log, ...(token ? { token } : {}) }),
      host,
      port,
    );
    process.stdout.write(`${server.modelUrl(target.name)}\n`);
    log(`serving ${model.id} ${target.label} on ${runner.provider}${token ? ' (bearer token required)' : ''}; Ctrl-C stops`);
    if (!LOOPBACK.has(host) && !token) log(`warning: listening on ${host} without a token: anyone who can reach this port can run the model`);
    const signal = await untilStopped();
    log(`${signal}: closing`);
    await server.close();
    return 0;
  } finally {
    await runner.dispose();
  }
}
