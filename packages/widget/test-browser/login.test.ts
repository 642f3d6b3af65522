import { expect } from 'chai';
import {
  deep,
  mount,
  nextEvent,
  peer,
  signInThroughForm,
  uniqueName,
  unmountAll,
  waitFor,
} from './helpers.js';

describe('sign in and register', () => {
  afterEach(() => unmountAll());

  it('shows the sign-in form when there is no valid session', async () => {
    const el = await mount();
    await waitFor(() => deep(el, 'form[part="login-form"]'), 'the login form');
    expect(deep(el, 'h3')?.textContent).to.contain('Sign in');
    expect(deep(el, '#username')?.getAttribute('autocomplete')).to.equal('username');
    expect(deep(el, 'label[for="username"]')?.textContent).to.equal('Username');
  });

  it("shows the server's validation messages under the fields they concern", async () => {
    const el = await mount();
    await signInThroughForm(el, 'ab', 'register', 'short');
    const userError = await waitFor(() => deep(el, '#username-error'), 'the username error');
    expect(userError.textContent).to.contain('at least 3');
    expect(deep(el, '#password-error')?.textContent).to.contain('at least 8');
    const input = deep(el, '#username');
    expect(input?.getAttribute('aria-invalid')).to.equal('true');
    // The rules stated before submitting stay linked beside the error.
    expect(input?.getAttribute('aria-describedby')).to.equal('username-hint username-error');
  });

  it('registers and fires ec-login, then logout() signs out and fires ec-logout', async () => {
    const el = await mount();
    const login = nextEvent(el, 'ec-login');
    const name = uniqueName('reg');
    await signInThroughForm(el, name, 'register');
    const e = await login;
    expect(e.detail.user.username).to.equal(name);
    expect(e.detail.via).to.equal('register');
    expect(e.bubbles && e.composed).to.equal(true);
    await waitFor(() => deep(el, '[part="search-input"]'), 'the signed-in view');
    expect(deep(el, '.me')?.textContent).to.contain(name);
    const logout = nextEvent(el, 'ec-logout');
    await el.logout();
    expect((await logout).detail.reason).to.equal('logout');
    await waitFor(() => deep(el, 'form[part="login-form"]'), 'the login form after logout');
  });

  it('says when the password is wrong, signs in, and a new element resumes from the cookie', async () => {
    const account = await peer(uniqueName('acct'));
    account.client.disconnect();
    const el = await mount();
    await signInThroughForm(el, account.name, 'login', 'not the password at all');
    const error = await waitFor(() => deep(el, '[part="form-error"]'), 'the form error');
    expect(error.textContent).to.equal('Wrong username or password.');
    expect(error.getAttribute('role')).to.equal('alert');
    await signInThroughForm(el, account.name, 'login');
    await waitFor(() => deep(el, '[part="search-input"]'), 'the signed-in view');
    el.remove();

    const again = document.createElement('ephemeral-chat');
    again.server = el.server;
    const resumed = nextEvent(again, 'ec-login');
    document.body.append(again);
    const e = await resumed;
    expect(e.detail.via).to.equal('session');
    expect(e.detail.user.username).to.equal(account.name);
    await waitFor(() => deep(again, '[part="search-input"]'), 'the resumed view');
  });

  it('shows a clear error with a retry when the server cannot be reached', async () => {
    const el = document.createElement('ephemeral-chat');
    el.server = 'http://localhost:9';
    const failed = nextEvent(el, 'ec-error');
    document.body.append(el);
    expect((await failed).detail.code).to.equal('network');
    const status = await waitFor(() => {
      const line = deep(el, '[part="status"]');
      return line?.textContent?.includes('Cannot reach') ? line : undefined;
    }, 'the unreachable state');
    expect(status.getAttribute('role')).to.equal('status');
    expect(status.querySelector('button')?.textContent).to.equal('Retry');
    expect(deep(el, '[part="status-error"]')).to.equal(undefined);
  });

  it('takes its texts from the strings property', async () => {
    const el = document.createElement('ephemeral-chat');
    el.server = (await mount()).server;
    el.strings = { signInHeading: 'Anmelden', username: 'Benutzername' };
    document.body.append(el);
    await waitFor(() => deep(el, 'form[part="login-form"]'), 'the login form');
    expect(deep(el, 'h3')?.textContent).to.equal('Anmelden');
    expect(deep(el, 'label[for="username"]')?.textContent).to.equal('Benutzername');
    expect(deep(el, 'label[for="password"]')?.textContent).to.equal('Password');
  });
});
