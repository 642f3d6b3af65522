import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../errors/app-error.js';
import type { Route } from '../route.js';
import { StaticFile } from '../static/static-file.js';

/** Where the built assets live; either may be missing (then its paths answer 404). */
export interface StaticOptions {
  /** The widget's dist folder: `ephemeral-chat.min.js` is served at `/ephemeral-chat.js`. */
  widgetDir: string;
  /** The demo page folder: `index.html` at `/`, every other file at `/<name>`. */
  demoDir: string;
}

export const WIDGET_PATH = '/ephemeral-chat.js';
const WIDGET_FILE = 'ephemeral-chat.min.js';

/** The page may load its own scripts and styles and talk to this server, nothing else. */
const demoCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function staticRoutes(options: StaticOptions): Route[] {
  const routes: Route[] = [
    fileRoute(WIDGET_PATH, new StaticFile(join(options.widgetDir, WIDGET_FILE)), {
      // Other sites embed it with a script tag.
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'public, max-age=300',
    }),
    // The bundle's sourceMappingURL is relative: the map is asked for beside it.
    fileRoute(
      '/ephemeral-chat.min.js.map',
      new StaticFile(join(options.widgetDir, `${WIDGET_FILE}.map`)),
      {
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Access-Control-Allow-Origin': '*',
        'Cache-Control': 'public, max-age=300',
      },
    ),
  ];
  for (const name of listFiles(options.demoDir)) {
    const path = name === 'index.html' ? '/' : `/${name}`;
    routes.push(
      fileRoute(path, new StaticFile(join(options.demoDir, name)), {
        'Content-Security-Policy': demoCsp,
        'Cache-Control': 'no-cache',
      }),
    );
  }
  return routes;
}

function fileRoute(path: string, file: StaticFile, headers: Record<string, string>): Route {
  return {
    method: 'GET',
    path,
    anyOrigin: true,
    async handle() {
      const loaded = await file.load();
      if (!loaded) throw new AppError('not_found', `${path} is not built: run npm run build.`);
      return {
        status: 200,
        raw: { data: loaded.data, contentType: loaded.contentType },
        headers,
      };
    },
  };
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.') && !e.name.endsWith('.md'))
      .map((e) => e.name);
  } catch {
    return [];
  }
}
