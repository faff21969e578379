/**
 * A model card's README.md as HTML that is safe to insert into the page: marked renders the
 * markdown, with raw HTML blocks and tags shown as text (never parsed), links kept only for
 * http(s) and mailto targets (a javascript: or relative link becomes its text), and images shown
 * as their alt text (a card's relative image paths do not resolve from the page, and remote
 * images are blocked by the CSP anyway).
 */
import { Marked, type Tokens } from 'marked';

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const SAFE_LINK = /^(https?:|mailto:)/i;

const marked = new Marked({
  async: false,
  gfm: true,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      if (!SAFE_LINK.test(token.href.trim())) return text;
      return `<a href="${escapeHtml(token.href.trim())}" target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
    image(token: Tokens.Image): string {
      return token.text === '' ? '' : `<span class="image-alt">[${escapeHtml(token.text)}]</span>`;
    },
  },
});

/** The HTML of `markdown`, safe for {@html}. */
export function modelCardHtml(markdown: string): string {
  return marked.parse(markdown, { async: false });
}
