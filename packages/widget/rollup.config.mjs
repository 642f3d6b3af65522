// Two builds from tsc's output in dist/lib (run `tsc -b` first; the root `npm run build` does):
//  - dist/index.js: the npm ESM build, one file; Lit and @ephemeral-chat/* stay imports, so an
//    app's bundler shares them with the rest of the app.
//  - dist/ephemeral-chat.min.js: the script-tag bundle, Lit and the SDK inside, as a classic
//    script (no CORS needed to load it from another origin), defining <ephemeral-chat>.
//  - dist/ephemeral-chat-locale-<lang>.js: each built-in language but English, an ES module of
//    data alone, which both builds import (relative to themselves) the first time it is chosen.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const minify = (module) =>
  terser({ module, ecma: 2022, compress: { passes: 2 }, format: { comments: false } });

/** zod must never reach the browser: the widget and the SDK import protocol types only. */
const noZod = {
  name: 'no-zod',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      const ids = chunk.type === 'chunk' ? Object.keys(chunk.modules) : [];
      const zod = ids.find((id) => /[\\/]node_modules[\\/]zod[\\/]/.test(id));
      if (zod) this.error(`zod reached ${chunk.fileName} through ${zod}`);
    }
  },
};

/** `de` for dist/lib/locales/de.js (or `./de.js` imported from dist/lib/locales/load.js). */
const localeOf = (id) => /(?:[\\/]locales[\\/]|^\.\/)(\w+)\.js$/.exec(id ?? '')?.[1];
const localeChunk = (lang) => `ephemeral-chat-locale-${lang}.js`;

/**
 * An IIFE cannot split: the script tag's `import('./de.js')` becomes an import of the npm build's
 * chunk of that language, which a classic script resolves against its own URL. So the chunks are
 * served beside the bundle, with CORS as for any module (the bundle's headers suit them).
 */
const localesBeside = {
  name: 'locales-beside',
  resolveDynamicImport(specifier, importer) {
    const lang = /[\\/]locales[\\/]load\.js$/.test(importer ?? '') && localeOf(specifier);
    return lang ? { id: `./${localeChunk(lang)}`, external: true } : null;
  },
};

export default [
  {
    input: 'dist/lib/index.js',
    external: [/^lit(\/|$)/, /^@lit\//, /^@lit-labs\//, /^@ephemeral-chat\//],
    output: {
      dir: 'dist',
      entryFileNames: 'index.js',
      chunkFileNames: (chunk) => {
        const lang = localeOf(chunk.facadeModuleId);
        return lang ? localeChunk(lang) : '[name]-[hash].js';
      },
      format: 'es',
      sourcemap: true,
    },
    plugins: [minify(true)],
  },
  {
    input: 'dist/lib/standalone.js',
    output: { file: 'dist/ephemeral-chat.min.js', format: 'iife', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), noZod, localesBeside, minify(false)],
  },
];
