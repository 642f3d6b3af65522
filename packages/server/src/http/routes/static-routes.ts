import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../errors/app-error.js';
import type { Route } from '../route.js';
import { digestOf } from '../static/digest.js';
import { serveAsset } from '../static/serve-asset.js';
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
/** A language module of the widget, loaded on demand beside the bundle. */
const LOCALE_FILE = /^ephemeral-chat-locale-[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?\.js$/;

/** The content-hashed URL of a bundle, as the widget's build prints it. */
export const hashedWidgetPath = (hash: string): string => `/ephemeral-chat.${hash}.js`;

/** Other sites embed the bundle with a script tag, with or without `crossorigin`. */
const embeddable = {
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Access-Control-Allow-Origin': '*',
};
/** The stable URL: a page picks up a new release within minutes, revalidating by ETag. */
const shortLived = { ...embeddable, 'Cache-Control': 'public, max-age=300' };
/** A hashed URL names one version for ever. */
const immutable = { ...embeddable, 'Cache-Control': 'public, max-age=31536000, immutable' };

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
/** Revalidated on every load (a 304 when unchanged): the demo follows the files on disk. */
const demoHeaders = { 'Content-Security-Policy': demoCsp, 'Cache-Control': 'no-cache' };

/**
 * Routes are exact paths fixed at start-up (the widget's two files and the demo folder's
 * listing), so no request path ever reaches the file system: `..` and encoded slashes match
 * nothing. Files are compressed at build time or once per version, never per request.
 */
export function staticRoutes(options: StaticOptions): Route[] {
  const bundle = new StaticFile(join(options.widgetDir, WIDGET_FILE));
  // The bundle's sourceMappingURL is relative: the map is asked for beside it.
  const map = new StaticFile(join(options.widgetDir, `${WIDGET_FILE}.map`));
  const routes: Route[] = [
    fileRoute(WIDGET_PATH, bundle, shortLived),
    fileRoute('/ephemeral-chat.min.js.map', map, shortLived),
  ];
  const hash = hashAtStart(bundle.path);
  if (hash) routes.push(hashedRoute(hash, bundle));
  // The widget's languages (issue 17): the bundle imports `./ephemeral-chat-locale-<lang>.js`
  // beside itself, cross-origin, so they carry the bundle's embedding headers.
  const locales = listFiles(options.widgetDir)
    .filter((name) => LOCALE_FILE.test(name))
    .map((name) => ({ path: `/${name}`, file: new StaticFile(join(options.widgetDir, name)) }));
  for (const { path, file } of locales) routes.push(fileRoute(path, file, shortLived));
  const demo = listFiles(options.demoDir).map((name) => ({
    path: name === 'index.html' ? '/' : `/${name}`,
    file: new StaticFile(join(options.demoDir, name)),
  }));
  for (const { path, file } of demo) routes.push(fileRoute(path, file, demoHeaders, true));
  // Read (and compress, where the build did not) now, so the first visitor does not wait for it;
  // the source map waits for someone to open the developer tools.
  for (const file of [bundle, ...demo.map((d) => d.file)]) void file.load().catch(() => undefined);
  return routes;
}

function fileRoute(
  path: string,
  file: StaticFile,
  headers: Record<string, string>,
  varyOrigin = false,
): Route {
  return {
    method: 'GET',
    path,
    anyOrigin: true,
    async handle({ req }) {
      const asset = await file.load();
      if (!asset) throw new AppError('not_found', `${path} is not built: run npm run build.`);
      return serveAsset(asset, req, headers, varyOrigin);
    },
  };
}

/**
 * `/ephemeral-chat.<hash>.js` for the bundle on disk at start-up. It serves only those bytes:
 * after a rebuild it answers 404 until a restart registers the new hash, as an immutable URL
 * must never change what it serves.
 */
function hashedRoute(hash: string, bundle: StaticFile): Route {
  const path = hashedWidgetPath(hash);
  return {
    method: 'GET',
    path,
    anyOrigin: true,
    async handle({ req }) {
      const asset = await bundle.load();
      if (!asset) throw new AppError('not_found', `${path} is not built: run npm run build.`);
      if (asset.digest.hash !== hash) {
        throw new AppError(
          'not_found',
          `${path} was rebuilt since the server started: restart it to serve the new hash.`,
        );
      }
      return serveAsset(asset, req, immutable);
    },
  };
}

function hashAtStart(path: string): string | undefined {
  try {
    return digestOf(readFileSync(path)).hash;
  } catch {
    return undefined;
  }
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .filter((name) => !/\.(?:md|br|gz)$/.test(name));
  } catch {
    return [];
  }
}
