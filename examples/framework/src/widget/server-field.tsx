import type { FormEvent } from 'react';

/**
 * The chat server's URL. It changes on submit, not on each keystroke: every new `server` makes
 * the widget start over against that server.
 */
export function ServerField({
  value,
  onChange,
}: {
  value: string;
  onChange: (url: string) => void;
}) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const url = new FormData(event.currentTarget).get('server');
    if (typeof url === 'string' && url) onChange(url.replace(/\/+$/, ''));
  };
  return (
    <form className="server-field" onSubmit={submit}>
      <label>
        Chat server <input name="server" type="url" required defaultValue={value} />
      </label>
      <button type="submit">Use</button>
    </form>
  );
}
