import { describe, expect, it } from 'vitest';
import { isAllowedDownloadUrl, isAllowedExternalUrl, isAppUrl } from '../../../main/electron/navigation-policy';

describe('shell.openExternal allow-list: https to known hosts only', () => {
  it.each([
    'https://onnxruntime.ai/docs/',
    'https://github.com/electron/fuses',
    'https://huggingface.co/models',
    'https://creativecommons.org/licenses/by/4.0/',
    'https://docs.github.com/en',
    'https://GitHub.com/x',
  ])('%s opens in the browser', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    ['http://github.com/', 'not https'],
    ['file:///etc/passwd', 'a local file'],
    ['smb://attacker/share/run.exe', 'a network share'],
    ['ms-msdt:/id PCWDiagnostic', 'an OS handler scheme'],
    ['javascript:alert(1)', 'script'],
    ['https://github.com.evil.example/', 'a look-alike host'],
    ['https://evilgithub.com/', 'a host that only ends in the name'],
    ['https://user:pass@github.com/', 'credentials'],
    ['https://github.com:8443/', 'another port'],
    ['https://example.com/', 'an unknown host'],
    ['not a url', 'garbage'],
  ])('%s is refused (%s)', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});

describe('frames stay in the app', () => {
  it('studio://app pages are the app; everything else is not', () => {
    expect(isAppUrl('studio://app/index.html')).toBe(true);
    expect(isAppUrl('studio://app/')).toBe(true);
    expect(isAppUrl('studio://media/1')).toBe(false);
    expect(isAppUrl('studio://app.evil/index.html')).toBe(false);
    expect(isAppUrl('studio://u:p@app/index.html')).toBe(false);
    expect(isAppUrl('https://app/index.html')).toBe(false);
    expect(isAppUrl('about:blank')).toBe(false);
  });
});

describe('downloads come from the app only', () => {
  it.each([
    ['blob:studio://app/4f1c2a9e-0000-4000-8000-000000000000', true],
    ['studio://media/12', true],
    ['blob:https://example.com/abc', false],
    ['https://example.com/payload.exe', false],
    ['data:application/octet-stream;base64,AAAA', false],
    ['studio://app/index.html', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedDownloadUrl(url)).toBe(allowed);
  });
});
