// Prints the size of both builds and fails if the script-tag bundle is over its budget
// (size-budget.json). Run after `npm run bundle`; `test/bundle-size.test.ts` checks it too.
import { measureBundles } from './measure.mjs';

const { npm, standalone, budget } = await measureBundles();
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const [what, s] of [
  ['npm ESM (Lit, SDK external)', npm],
  ['script tag (Lit, SDK inside)', standalone],
]) {
  console.log(
    `@ephemeral-chat/widget ${s.file}: ${kb(s.bytes)} min, ${kb(s.gzip)} min+gzip (${s.gzip} B) — ${what}`,
  );
}
console.log(`standalone budget: ${kb(budget)} min+gzip (${budget} B)`);
if (standalone.gzip > budget) {
  console.error(`${standalone.file} is over budget by ${standalone.gzip - budget} B.`);
  process.exit(1);
}
