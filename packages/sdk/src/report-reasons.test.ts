import { reportReasons as protocolReasons } from '@ephemeral-chat/protocol';
import { describe, expect, it } from 'vitest';
import { reportReasons } from './report-reasons.js';

describe('report reasons', () => {
  it("offers exactly the protocol's reasons, in its order", () => {
    expect(reportReasons).toEqual(protocolReasons);
  });
});
