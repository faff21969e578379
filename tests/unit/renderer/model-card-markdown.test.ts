/** A model card's README becomes HTML without raw HTML, unsafe links or remote images. */
import { describe, expect, test } from 'vitest';
import { modelCardHtml } from '../../../renderer/src/lib/model-card-markdown';

describe('model card markdown', () => {
  test('markdown renders: headings, tables, code, emphasis', () => {
    const html = modelCardHtml('# Emoji\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n`code` and **bold**');
    expect(html).toContain('<h1>Emoji</h1>');
    expect(html).toContain('<td>1</td>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<strong>bold</strong>');
  });

  test('raw HTML blocks and inline tags are shown as text, never as elements', () => {
    const html = modelCardHtml('<script>alert(1)</script>\n\nhello <img src=x onerror=alert(1)> <b onclick="x()">b</b>');
    expect(html).not.toMatch(/<script|<img|<b /);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('only http(s) and mailto links stay links; images become their alt text', () => {
    const html = modelCardHtml('[bad](javascript:alert(1)) [rel](../x.md) [ok](https://example.org/a?b=1&c="2") ![a sheet](contact-sheet.png) ![](x.png)');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('href="../x.md"');
    expect(html).toContain('<a href="https://example.org/a?b=1&amp;c=&quot;2&quot;" target="_blank" rel="noopener noreferrer">ok</a>');
    expect(html).toContain('[a sheet]');
    expect(html).not.toContain('<img');
  });
});
