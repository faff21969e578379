import { describe, expect, it } from 'vitest';
import { isTrustedFrame } from '../../../main/electron/trusted-frame';

describe('isTrustedFrame (IPC sender check)', () => {
  it('accepts the top frame of studio://app', () => {
    expect(isTrustedFrame({ url: 'studio://app/index.html', parent: null })).toBe(true);
    expect(isTrustedFrame({ url: 'studio://app/history?x=1#y', parent: null })).toBe(true);
  });

  it('refuses iframes, other hosts and schemes, and missing frames', () => {
    expect(isTrustedFrame({ url: 'studio://app/index.html', parent: {} })).toBe(false);
    expect(isTrustedFrame({ url: 'studio://media/1', parent: null })).toBe(false);
    expect(isTrustedFrame({ url: 'studio://app.evil/index.html', parent: null })).toBe(false);
    expect(isTrustedFrame({ url: 'studio://user@app/index.html', parent: null })).toBe(false);
    expect(isTrustedFrame({ url: 'https://app/index.html', parent: null })).toBe(false);
    expect(isTrustedFrame({ url: 'file:///tmp/index.html', parent: null })).toBe(false);
    expect(isTrustedFrame({ url: 'not a url', parent: null })).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
    expect(isTrustedFrame(undefined)).toBe(false);
  });
});
