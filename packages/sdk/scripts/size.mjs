// Prints the minified + gzipped size of the browser bundle of dist/index.js and checks it
// against the budget in size-budget.json. Run after `npm run build`: `npm run size -w @ephemeral-chat/sdk`.
import { measureBundle } from './measure-bundle.mjs';

const { bytes, gzip, budget, inputs } = await measureBundle();
console.log(
  `@ephemeral-chat/sdk browser bundle: ${bytes} B minified, ${gzip} B min+gzip (budget ${budget} B)`,
);
if (inputs.some((p) => p.includes('zod'))) {
  console.error('zod reached the bundle: import protocol types with `import type`.');
  process.exit(1);
}
if (gzip > budget) {
  console.error(`Over budget by ${gzip - budget} B.`);
  process.exit(1);
}
