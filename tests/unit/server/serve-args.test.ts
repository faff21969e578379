import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseServeArgs, ServeArgsError } from '../../../main/server/serve-args';
import { isAllowedHost, isAllowedOrigin, isJsonContentType } from '../../../main/server/request-guard';

describe('parseServeArgs', () => {
  it('defaults to 127.0.0.1:7860', () => {
    expect(parseServeArgs([], {})).toEqual({ port: DEFAULT_PORT, host: '127.0.0.1' });
    expect(DEFAULT_PORT).toBe(7860);
  });

  it('takes --port N, --port=N and 0 for a free port', () => {
    expect(parseServeArgs(['--port', '8080'], {}).port).toBe(8080);
    expect(parseServeArgs(['--port=0'], {}).port).toBe(0);
  });

  it('uses STUDIO_PORT when --port is absent, --port when both are given', () => {
    expect(parseServeArgs([], { STUDIO_PORT: '9000' }).port).toBe(9000);
    expect(parseServeArgs(['--port', '1234'], { STUDIO_PORT: '9000' }).port).toBe(1234);
    expect(() => parseServeArgs([], { STUDIO_PORT: 'abc' })).toThrow(/STUDIO_PORT must be a port number/);
  });

  it('rejects bad ports, non-loopback hosts and unknown flags with a reason', () => {
    expect(() => parseServeArgs(['--port', '70000'], {})).toThrow(ServeArgsError);
    expect(() => parseServeArgs(['--port'], {})).toThrow(/--port must be a port number/);
    expect(() => parseServeArgs(['--host', '0.0.0.0'], {})).toThrow(/loopback/);
    expect(parseServeArgs(['--host', '::1'], {}).host).toBe('::1');
    expect(() => parseServeArgs(['--verbose'], {})).toThrow(/unknown argument "--verbose"/);
  });
});

describe('request guard', () => {
  it('accepts only loopback Host headers on our port', () => {
    expect(isAllowedHost('127.0.0.1:7860', 7860)).toBe(true);
    expect(isAllowedHost('LOCALHOST:7860', 7860)).toBe(true);
    expect(isAllowedHost('[::1]:7860', 7860)).toBe(true);
    expect(isAllowedHost('127.0.0.1:7861', 7860)).toBe(false);
    expect(isAllowedHost('127.0.0.1', 7860)).toBe(false);
    expect(isAllowedHost('evil.example:7860', 7860)).toBe(false);
    expect(isAllowedHost(undefined, 7860)).toBe(false);
  });

  it('accepts no Origin or our own, nothing else', () => {
    expect(isAllowedOrigin(undefined, 7860)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:7860', 7860)).toBe(true);
    expect(isAllowedOrigin('null', 7860)).toBe(false);
    expect(isAllowedOrigin('https://127.0.0.1:7860', 7860)).toBe(false);
    expect(isAllowedOrigin('http://evil.example:7860', 7860)).toBe(false);
  });

  it('recognizes JSON content types', () => {
    expect(isJsonContentType('application/json')).toBe(true);
    expect(isJsonContentType('Application/JSON; charset=utf-8')).toBe(true);
    expect(isJsonContentType('text/plain')).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });
});

describe('STUDIO_PROGRESS_INTERVAL_MS', () => {
  it('sets the progress interval, and refuses what is not a number of milliseconds', () => {
    expect(parseServeArgs([], { STUDIO_PROGRESS_INTERVAL_MS: '0' })).toEqual({ port: DEFAULT_PORT, host: '127.0.0.1', progressIntervalMs: 0 });
    expect(parseServeArgs([], { STUDIO_PROGRESS_INTERVAL_MS: '250' }).progressIntervalMs).toBe(250);
    expect(() => parseServeArgs([], { STUDIO_PROGRESS_INTERVAL_MS: 'fast' })).toThrow(/STUDIO_PROGRESS_INTERVAL_MS must be a number of milliseconds between 0 and 10000 \(got "fast"\)/);
    expect(() => parseServeArgs([], { STUDIO_PROGRESS_INTERVAL_MS: '20000' })).toThrow(ServeArgsError);
  });
});
