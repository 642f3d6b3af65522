import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The built server's entry point (`packages/server/dist/main.js`), found through the
 * `@ephemeral-chat/server` package rather than a path into its folder. Throws, saying to build,
 * when the package has not been built.
 */
export function serverMainPath(): string {
  try {
    return join(
      dirname(createRequire(import.meta.url).resolve('@ephemeral-chat/server')),
      'main.js',
    );
  } catch (err) {
    throw new Error(`@ephemeral-chat/server is not built: run \`npm run build\` first (${err})`);
  }
}
