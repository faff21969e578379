/**
 * Browser mode is opened at the address the server printed, `http://127.0.0.1:PORT/?token=…`.
 * Serving that page already gave the browser the token as an HttpOnly cookie, which every
 * call, image and event socket of the page then carries by itself; the token leaves the
 * address bar so it does not end up in history, bookmarks, screenshots or a shared link.
 */
const TOKEN_PARAM = 'token';

export function forgetTokenInAddress(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has(TOKEN_PARAM)) return;
  url.searchParams.delete(TOKEN_PARAM);
  window.history.replaceState(window.history.state, '', url);
}
