/**
 * Command line of `node build/serve.cjs [--port N] [--host 127.0.0.1] [--token T]`.
 *
 * Port: `--port` wins, then the STUDIO_PORT environment variable, then 7860 (the port
 * local diffusion UIs customarily use). `--port 0` asks the OS for a free port, which the
 * e2e tests use and then read from the printed URL. Host: loopback only: the access token
 * keeps other local users and processes out, but the server speaks plain HTTP, which must
 * not cross a network; anything else is refused with a reason.
 *
 * Token: `--token` wins, then STUDIO_TOKEN, else a new random one at each launch
 * (access-token.ts); a given token must be 16–256 URL-safe characters.
 *
 * STUDIO_PROGRESS_INTERVAL_MS sets the minimum milliseconds between two progress events of
 * a job (default 33); the e2e tests set 0 so that every step is sent whatever the machine's speed.
 */
import { ACCESS_TOKEN_PATTERN } from './access-token';

export const DEFAULT_PORT = 7860;

export interface ServeArgs {
  port: number;
  host: string;
  /** Absent: the server makes a new one. */
  token?: string;
  /** From STUDIO_PROGRESS_INTERVAL_MS; absent means the studio's default. */
  progressIntervalMs?: number;
}

/** Longest accepted progress interval, in ms: beyond this a progress bar stops being one. */
const PROGRESS_INTERVAL_MAX_MS = 10_000;

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'];

export class ServeArgsError extends Error {
  override name = 'ServeArgsError';
}

export const SERVE_USAGE =
  'usage: node build/serve.cjs [--port N] [--host 127.0.0.1] [--token T]   (STUDIO_PORT sets the default port, 0 = any free port; STUDIO_TOKEN the access token, else a new one each launch)';

function parseToken(value: string | undefined, source: string): string {
  if (value === undefined || !ACCESS_TOKEN_PATTERN.test(value)) {
    // The value itself is not echoed: it may be a secret with a typo in it.
    throw new ServeArgsError(`${source} must be 16 to 256 characters from A-Z a-z 0-9 . _ ~ - (got ${value === undefined ? 'nothing' : `${value.length} characters`})`);
  }
  return value;
}

function parsePort(value: string | undefined, source: string): number {
  if (value === undefined || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new ServeArgsError(`${source} must be a port number between 0 and 65535 (got ${JSON.stringify(value ?? '')})`);
  }
  return Number(value);
}

/** Parses argv (without node and the script) and the environment. */
export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeArgs {
  let port: number | undefined;
  let host = '127.0.0.1';
  let token: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        port = parsePort(value(), '--port');
        break;
      case '--host':
        host = value() ?? '';
        if (!LOOPBACK_HOSTS.includes(host)) {
          throw new ServeArgsError(`--host must be a loopback address (${LOOPBACK_HOSTS.join(', ')}): browser mode speaks plain HTTP, so it never listens on a network (got ${JSON.stringify(host)})`);
        }
        break;
      case '--token':
        token = parseToken(value(), '--token');
        break;
      case '--help':
      case '-h':
        throw new ServeArgsError(SERVE_USAGE);
      default:
        throw new ServeArgsError(`unknown argument ${JSON.stringify(arg)}\n${SERVE_USAGE}`);
    }
  }
  const fromEnv = env.STUDIO_PORT?.trim();
  const args: ServeArgs = { port: port ?? (fromEnv ? parsePort(fromEnv, 'STUDIO_PORT') : DEFAULT_PORT), host };
  const envToken = env.STUDIO_TOKEN?.trim();
  if (token !== undefined) args.token = token;
  else if (envToken) args.token = parseToken(envToken, 'STUDIO_TOKEN');
  const interval = env.STUDIO_PROGRESS_INTERVAL_MS?.trim();
  if (interval) {
    if (!/^\d{1,5}$/.test(interval) || Number(interval) > PROGRESS_INTERVAL_MAX_MS) {
      throw new ServeArgsError(`STUDIO_PROGRESS_INTERVAL_MS must be a number of milliseconds between 0 and ${PROGRESS_INTERVAL_MAX_MS} (got ${JSON.stringify(interval)})`);
    }
    args.progressIntervalMs = Number(interval);
  }
  return args;
}
