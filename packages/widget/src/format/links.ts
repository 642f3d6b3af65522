import { html, type TemplateResult } from 'lit';

/** A link found in a message: where its text is, and the address it opens. */
export interface FoundLink {
  start: number;
  end: number;
  href: string;
}

/** http(s) only: `javascript:`, `data:` and every other scheme stay plain text. */
const candidate = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Punctuation that ends a sentence rather than the address ("see https://x.org."). */
const trailing = /[.,;:!?'"\]}>»”’]$/;

/** Drops trailing punctuation, and a `)` the address did not open (Wikipedia's `Foo_(bar)` keeps its). */
function trim(url: string): string {
  for (;;) {
    if (trailing.test(url)) url = url.slice(0, -1);
    else if (url.endsWith(')') && url.split('(').length < url.split(')').length) {
      url = url.slice(0, -1);
    } else return url;
  }
}

/** The http(s) addresses in `text`, in order; anything `URL` cannot parse is left as text. */
export function findLinks(text: string): FoundLink[] {
  const out: FoundLink[] = [];
  for (const m of text.matchAll(candidate)) {
    const raw = trim(m[0]);
    try {
      const url = new URL(raw);
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) continue;
      out.push({ start: m.index, end: m.index + raw.length, href: url.href });
    } catch {
      // not an address after all: plain text
    }
  }
  return out;
}

/**
 * `text` with its http(s) addresses as links that open in a new tab and give the target neither
 * the page (`noopener`), the referrer (`noreferrer`) nor ranking (`nofollow`). Through Lit's
 * templates: the text is never parsed as markup.
 */
export function linkify(text: string): (string | TemplateResult)[] {
  const out: (string | TemplateResult)[] = [];
  let at = 0;
  for (const link of findLinks(text)) {
    if (link.start > at) out.push(text.slice(at, link.start));
    out.push(
      html`<a
        part="link"
        href=${link.href}
        target="_blank"
        rel="noopener noreferrer nofollow"
        >${text.slice(link.start, link.end)}</a
      >`,
    );
    at = link.end;
  }
  if (at < text.length || !out.length) out.push(text.slice(at));
  return out;
}
