import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { measureBundles } from '../scripts/measure.mjs';

describe('widget bundles', () => {
  it('keeps the script-tag bundle within the min+gzip budget in size-budget.json', async () => {
    const { npm, standalone, budget } = await measureBundles();
    console.log(
      `@ephemeral-chat/widget: standalone ${standalone.bytes} B min, ${standalone.gzip} B min+gzip (budget ${budget} B); npm ${npm.bytes} B min, ${npm.gzip} B min+gzip`,
    );
    expect(standalone.gzip).toBeLessThanOrEqual(budget);
  });

  it('keeps Lit and the SDK out of the npm build and inside the script-tag one', async () => {
    const npm = await readFile(new URL('../dist/index.js', import.meta.url), 'utf8');
    expect(npm).toMatch(/from\s*"lit"/);
    expect(npm).toMatch(/from\s*"@ephemeral-chat\/sdk"/);
    const standalone = await readFile(
      new URL('../dist/ephemeral-chat.min.js', import.meta.url),
      'utf8',
    );
    expect(standalone).not.toMatch(/\bimport\s*[{"*]/);
    expect(standalone).toContain('ephemeral-chat');
  });
});
