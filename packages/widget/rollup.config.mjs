// Two builds from tsc's output in dist/lib (run `tsc -b` first; the root `npm run build` does):
//  - dist/index.js: the npm ESM build, one file; Lit and @ephemeral-chat/* stay imports, so an
//    app's bundler shares them with the rest of the app.
//  - dist/ephemeral-chat.min.js: the script-tag bundle, Lit and the SDK inside, as a classic
//    script (no CORS needed to load it from another origin), defining <ephemeral-chat>.
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

export default [
  {
    input: 'dist/lib/index.js',
    external: [/^lit(\/|$)/, /^@lit\//, /^@lit-labs\//, /^@ephemeral-chat\//],
    output: { file: 'dist/index.js', format: 'es', sourcemap: true },
    plugins: [minify(true)],
  },
  {
    input: 'dist/lib/standalone.js',
    output: { file: 'dist/ephemeral-chat.min.js', format: 'iife', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), noZod, minify(false)],
  },
];
