// Browser tests of <ephemeral-chat> in Debian's Chromium (never a downloaded browser) against the
// real chat server. `npm run build` first (the server and the widget's dist); then
// `npm run test:browser -w @ephemeral-chat/widget`. Set CHROMIUM_PATH to use another Chromium.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chatServer } from './test-browser/chat-server.mjs';
import { countReporter } from './test-browser/count-reporter.mjs';

const chat = chatServer();

export default {
  rootDir: '../..',
  files: ['test-browser/**/*.test.ts'],
  hostname: 'localhost',
  nodeResolve: true,
  // The test files share the browser's cookie jar (the widget's session is a cookie): one at a time.
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 30_000 } },
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter()],
  // Lit's development build runs in the tests (extra checks); its banner is noise.
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--no-first-run',
        ],
      },
    }),
  ],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), chat.plugin],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /></head>
  <body>
    <script>window.__CHAT_URL__ = ${JSON.stringify(chat.url())};</script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};
