/**
 * Where the desktop app's web contents may go, and what leaves the app: the pure rules behind
 * window.ts's handlers (kept free of electron imports so they are unit-tested under plain Node).
 *
 * - Frames (top and sub frames) may only show pages of studio://app.
 * - `shell.openExternal` hands a URL to the OS, which runs whatever handler is registered for
 *   its scheme (file:, smb:, custom app schemes can start programs). Only https links to the
 *   hosts the studio's own pages and model cards point to are handed over.
 * - Downloads may only come from the app itself: blob: URLs the page made (an exported
 *   profile) and studio:// media. Anything else a page tries to download is refused.
 */
import { STUDIO_APP_ORIGIN, STUDIO_MEDIA_HOST, STUDIO_SCHEME } from '../../contract/preload-api';

/** Hosts the app links to (help, licenses, model cards), each with its subdomains. */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [
  'onnxruntime.ai',
  'github.com',
  'huggingface.co',
  'creativecommons.org',
  'opensource.org',
  'unicode.org',
  'kserve.github.io',
  'electronjs.org',
];

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True for a page of the app itself (studio://app/...). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== undefined && u.protocol === `${STUDIO_SCHEME}:` && u.host === 'app' && u.username === '' && u.password === '';
}

/** True when `url` may be opened in the user's browser: https, default port, no credentials, a listed host. */
export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  const u = parse(url);
  if (u === undefined || u.protocol !== 'https:' || u.port !== '' || u.username !== '' || u.password !== '') return false;
  const host = u.hostname.toLowerCase();
  return hosts.some((h) => host === h || host.endsWith(`.${h}`));
}

/** True for a download the app's own page started: a blob: of studio://app, or studio://media. */
export function isAllowedDownloadUrl(url: string): boolean {
  if (url.startsWith('blob:')) return url.slice('blob:'.length).startsWith(`${STUDIO_APP_ORIGIN}/`);
  const u = parse(url);
  return u !== undefined && u.protocol === `${STUDIO_SCHEME}:` && u.host === STUDIO_MEDIA_HOST;
}
