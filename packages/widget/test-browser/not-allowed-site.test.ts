import { expect } from 'chai';
import { chatUrl } from './helpers.js';

interface Report {
  text: string;
  buttons: string[];
  origin: string;
}

describe('the script tag on a site the chat server does not allow', () => {
  it('tells the visitor plainly, without the operator’s wording or a Retry', async () => {
    // 127.0.0.1 is another site than localhost, the one origin the test server allows.
    const page = new URL('/packages/widget/test-browser/foreign-site.html', location.href);
    page.hostname = '127.0.0.1';
    page.searchParams.set('server', chatUrl);
    const frame = document.createElement('iframe');
    const report = new Promise<Report>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no report from the other site')), 15_000);
      addEventListener('message', (e: MessageEvent<Report>) => {
        if (e.source !== frame.contentWindow) return;
        clearTimeout(timer);
        resolve(e.data);
      });
    });
    frame.src = page.href;
    document.body.append(frame);
    try {
      const r = await report;
      expect(r.origin).to.equal(page.origin);
      expect(r.text).to.equal('Chat is not available on this site.');
      expect(r.text).not.to.contain('ALLOWED_ORIGINS');
      expect(r.buttons).to.deep.equal([]);
    } finally {
      frame.remove();
    }
  });
});
