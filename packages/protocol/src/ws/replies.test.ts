import { describe, expectTypeOf, it } from 'vitest';
import type { ReplyTo, RequestType } from './replies.js';
import type { ServerFrame } from './server-frames.js';

describe('ReplyTo', () => {
  it('maps each request to the frame that answers it', () => {
    expectTypeOf<ReplyTo<'send'>>().toEqualTypeOf<Extract<ServerFrame, { type: 'ack' }>>();
    expectTypeOf<ReplyTo<'ping'>['serverTime']>().toEqualTypeOf<number>();
    expectTypeOf<ReplyTo<'history'>['type']>().toEqualTypeOf<'history'>();
    expectTypeOf<ReplyTo<'group.create'>['type']>().toEqualTypeOf<'group'>();
    expectTypeOf<ReplyTo<'group.leave'>['type']>().toEqualTypeOf<'group.left'>();
    expectTypeOf<ReplyTo<'groups'>['type']>().toEqualTypeOf<'groups'>();
    expectTypeOf<ReplyTo<'block'>['type']>().toEqualTypeOf<'blocked'>();
    expectTypeOf<ReplyTo<'unblock'>['type']>().toEqualTypeOf<'unblocked'>();
    expectTypeOf<ReplyTo<'blocks'>['type']>().toEqualTypeOf<'blocks'>();
    expectTypeOf<ReplyTo<'unsend'>['type']>().toEqualTypeOf<'unsent'>();
    expectTypeOf<ReplyTo<'group.open'>['type']>().toEqualTypeOf<'group.opened'>();
    expectTypeOf<ReplyTo<'report'>['type']>().toEqualTypeOf<'reported'>();
  });

  it('counts every client frame with an id as a request, and typing and delivered as none', () => {
    expectTypeOf<RequestType>().toEqualTypeOf<
      | 'auth'
      | 'open'
      | 'send'
      | 'history'
      | 'resume'
      | 'presence'
      | 'read'
      | 'settings'
      | 'unsend'
      | 'chats'
      | 'ping'
      | 'group.create'
      | 'group.add'
      | 'group.remove'
      | 'group.leave'
      | 'group.rename'
      | 'group.admin'
      | 'group.get'
      | 'group.open'
      | 'groups'
      | 'block'
      | 'unblock'
      | 'blocks'
      | 'report'
    >();
  });
});
