import { describe, expect, it } from 'vitest';
import { measureBundle } from '../scripts/measure-bundle.mjs';

describe('browser bundle', () => {
  it('stays within the min+gzip budget in size-budget.json, without zod', async () => {
    const { bytes, gzip, budget, inputs } = await measureBundle();
    console.log(
      `@ephemeral-chat/sdk: ${bytes} B minified, ${gzip} B min+gzip (budget ${budget} B)`,
    );
    expect(inputs.filter((p) => p.includes('node_modules'))).toEqual([]);
    expect(inputs.some((p) => p.includes('zod'))).toBe(false);
    expect(gzip).toBeLessThanOrEqual(budget);
  });
});
