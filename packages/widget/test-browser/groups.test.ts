import type { Client, GroupChat } from '@ephemeral-chat/sdk';
import { expect } from 'chai';
import type { EphemeralChat } from '../dist/lib/index.js';
import {
  bubbleTexts,
  deep,
  deepAll,
  mount,
  peer,
  send,
  signUp,
  unmountAll,
  waitFor,
} from './helpers.js';

type Peer = { client: Client; name: string };

const buttons = (el: EphemeralChat, part: string) =>
  deepAll<HTMLButtonElement>(el.shadowRoot as ShadowRoot, `[part~="${part}"]`);
const notices = (el: EphemeralChat) =>
  deepAll(el.shadowRoot as ShadowRoot, '[part~="group-notice"]').map((n) => n.textContent?.trim());

/** Searches in the widget, in whichever mode the search is in, and clicks the result for `name`. */
async function pickFromSearch(el: EphemeralChat, name: string): Promise<void> {
  const input = deep<HTMLInputElement>(el, '[part="search-input"]') as HTMLInputElement;
  input.value = name;
  input.dispatchEvent(new InputEvent('input'));
  const result = await waitFor(
    () => buttons(el, 'user').find((b) => b.textContent?.includes(name)),
    `the result ${name}`,
  );
  result.click();
}

/** Creates a group through the search view: picks the members, names it, submits. */
async function createGroup(el: EphemeralChat, name: string, members: Peer[]): Promise<void> {
  deep<HTMLButtonElement>(el, '[part="new-group-button"]')?.click();
  await waitFor(() => deep(el, '[part="group-form"]'), 'the group form');
  for (const m of members) {
    await pickFromSearch(el, m.name);
    await waitFor(
      () => buttons(el, 'unpick-button').some((b) => b.textContent?.includes(m.name)),
      `${m.name} picked`,
    );
  }
  (deep<HTMLInputElement>(el, '[part="group-name-input"]') as HTMLInputElement).value = name;
  deep<HTMLButtonElement>(el, '[part="create-group-button"]')?.click();
  await waitFor(
    () => deep(el, '[part="peer-name"]')?.textContent?.includes(name),
    'the group to open',
  );
}

/** The group chat of `who` (an SDK user) once they hear of it. */
async function groupOf(who: Peer): Promise<GroupChat> {
  for (let i = 0; i < 50; i++) {
    const room = (await who.client.groups())[0]?.room;
    if (room) return who.client.openGroup(room);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${who.name} never got the group`);
}

describe('group chats', () => {
  let el: EphemeralChat;
  let me: string;
  let bob: Peer;
  let carol: Peer;

  beforeEach(async () => {
    el = await mount();
    me = await signUp(el);
    [bob, carol] = await Promise.all([peer(), peer()]);
  });

  afterEach(async () => {
    bob.client.disconnect();
    carol.client.disconnect();
    await unmountAll();
  });

  it('creates a group from search results, chats in it and shows "Seen by k of n"', async () => {
    await createGroup(el, 'crew', [bob, carol]);
    expect(deep(el, '[part="peer-status"]')?.textContent).to.match(/3 members, [1-3] online/);
    const gb = await groupOf(bob);
    const gc = await groupOf(carol);

    await send(el, 'hello crew');
    await waitFor(() => bubbleTexts(el).includes('hello crew'), 'the bubble');
    const receipt = () => deep(el, '[part="receipt"]')?.textContent?.replace(/\s+/g, ' ').trim();
    await waitFor(() => receipt()?.includes('Seen by 0 of 2'), 'seen by 0 of 2');
    await waitFor(() => gb.messages().length === 1, 'bob to receive it');
    await gb.markRead();
    await waitFor(() => receipt()?.includes('Seen by 1 of 2'), 'seen by 1 of 2');
    await gc.markRead();
    await waitFor(() => receipt()?.includes('Seen by 2 of 2'), 'seen by 2 of 2');

    // Others' messages say who wrote them; typing says who types.
    gc.typing(true);
    await waitFor(
      () => deep(el, '[part="typing"]')?.textContent?.includes(`${carol.name} is typing`),
      'carol typing',
    );
    await gb.send('hi from bob', { ttl: 60_000 });
    await waitFor(
      () =>
        deepAll(el.shadowRoot as ShadowRoot, '[part="bubble-sender"]').some((s) =>
          s.textContent?.includes(bob.name),
        ),
      "bob's name on his bubble",
    );
  });

  it('lists the group with its name, member count, unread count and a preview', async () => {
    await createGroup(el, 'list me', [bob]);
    deep<HTMLButtonElement>(el, '[part="back-button"]')?.click();
    const gb = await groupOf(bob);
    await gb.send('unread one', { ttl: 60_000 });
    const row = await waitFor(
      () => buttons(el, 'group-item').find((b) => b.textContent?.includes('list me')),
      'the group row',
    );
    await waitFor(
      () => row.querySelector('[part="unread-badge"]')?.textContent === '1',
      'unread 1',
    );
    expect(row.textContent).to.contain('2 members');
    await waitFor(() => row.textContent?.includes(`${bob.name}: unread one`), 'the preview');
    row.click();
    await waitFor(() => bubbleTexts(el).includes('unread one'), 'the group to open from the list');
  });

  it('lets an admin rename, promote, add and remove members, with notices in the timeline', async () => {
    const dave = await peer();
    try {
      await createGroup(el, 'admins', [bob, carol]);
      const gb = await groupOf(bob);
      deep<HTMLButtonElement>(el, '[part="members-button"]')?.click();
      await waitFor(() => deep(el, '[part="group-panel"]'), 'the members panel');
      expect(deep(el, '[part="members-button"]')?.getAttribute('aria-expanded')).to.equal('true');

      const rename = deep<HTMLInputElement>(el, '[part="rename-input"]') as HTMLInputElement;
      rename.value = 'renamed';
      deep<HTMLButtonElement>(el, '[part="rename-button"]')?.click();
      await waitFor(
        () => deep(el, '[part="peer-name"]')?.textContent?.includes('renamed'),
        'the new name',
      );
      await waitFor(() => gb.group.name === 'renamed', 'bob to see it');
      await waitFor(
        () => notices(el).includes('You renamed the group to “renamed”'),
        'rename notice',
      );

      const promote = buttons(el, 'promote-button').find((b) =>
        b.getAttribute('aria-label')?.includes(bob.name),
      );
      promote?.click();
      await waitFor(() => gb.admin, 'bob to become an admin');
      await waitFor(() => notices(el).includes(`You made ${bob.name} an admin`), 'admin notice');

      const add = deep<HTMLInputElement>(el, '[part="add-input"]') as HTMLInputElement;
      add.value = dave.name;
      add.dispatchEvent(new InputEvent('input'));
      (
        await waitFor(
          () => buttons(el, 'add-result').find((b) => b.textContent?.includes(dave.name)),
          'dave found',
        )
      ).click();
      await waitFor(() => notices(el).includes(`You added ${dave.name}`), 'added notice');
      expect(deep(el, '[part="peer-status"]')?.textContent).to.contain('4 members');

      const remove = buttons(el, 'remove-button').find((b) =>
        b.getAttribute('aria-label')?.includes(carol.name),
      );
      remove?.click();
      await waitFor(() => notices(el).includes(`You removed ${carol.name}`), 'removed notice');

      // Bob (now admin) sets a timer: a settings notice names him.
      await gb.setSettings({ ttl: 300_000 });
      await waitFor(
        () =>
          deepAll(el.shadowRoot as ShadowRoot, '[part~="settings-notice"]').some((n) =>
            n.textContent?.includes(`${bob.name} set new messages to disappear`),
          ),
        'the settings notice',
      );
    } finally {
      dave.client.disconnect();
    }
  });

  it('closes the group and drops it from the list when the user is removed', async () => {
    const gb = await (async () => {
      const g = await bob.client.createGroup('theirs', [me, carol.name]);
      return bob.client.openGroup(g.room);
    })();
    await gb.send('before removal', { ttl: 60_000 });
    const row = await waitFor(
      () => buttons(el, 'group-item').find((b) => b.textContent?.includes('theirs')),
      'the group row',
    );
    row.click();
    await waitFor(() => bubbleTexts(el).includes('before removal'), 'the message');
    // Not an admin: no admin actions, and the timers are the admins' to change.
    deep<HTMLButtonElement>(el, '[part="members-button"]')?.click();
    await waitFor(() => deep(el, '[part="leave-button"]'), 'the leave button');
    expect(deep(el, '[part="remove-button"]')).to.equal(undefined);

    const myId = gb.members.find((m) => m.username === me)?.id ?? '';
    await gb.remove(myId);
    await waitFor(() => !deep(el, 'ec-chat-view'), 'the group to close');
    await waitFor(
      () => !buttons(el, 'group-item').some((b) => b.textContent?.includes('theirs')),
      'the row to go',
    );
    expect(bubbleTexts(el)).to.deep.equal([]);
  });

  it('leaves a group from the members panel', async () => {
    await createGroup(el, 'leaving', [bob]);
    const gb = await groupOf(bob);
    deep<HTMLButtonElement>(el, '[part="members-button"]')?.click();
    (await waitFor(() => deep<HTMLButtonElement>(el, '[part="leave-button"]'), 'leave')).click();
    await waitFor(() => !deep(el, 'ec-chat-view'), 'the group to close');
    await waitFor(() => gb.members.length === 1, 'bob to see the user go');
  });
});
