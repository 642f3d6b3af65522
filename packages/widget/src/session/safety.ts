import type { Client } from '@ephemeral-chat/sdk';

/** What the safety controls need of the client: blocking and reporting, nothing else. */
export type SafetyClient = Pick<Client, 'block' | 'unblock' | 'blocks' | 'report' | 'reportable'>;

/** At most this many of the peer's recent messages go with one report from the chat menu. */
export const reportBatchMax = 20;
