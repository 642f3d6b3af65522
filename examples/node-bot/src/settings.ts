/** The bot's settings, from the environment; a bad one stops it with a message naming it. */
export interface Settings {
  url: string;
  username: string;
  password: string;
  /** TTL of the bot's own replies, ms. */
  replyTtlMs: number;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const problems: string[] = [];
  const url = env.CHAT_URL ?? 'http://localhost:8080';
  if (!/^https?:\/\/[^/\s]+/.test(url)) problems.push('CHAT_URL: use http(s)://host[:port].');
  const username = env.BOT_USERNAME ?? 'echo_bot';
  if (!/^[A-Za-z0-9_]{3,32}$/.test(username)) {
    problems.push('BOT_USERNAME: 3–32 of A-Z, a-z, 0-9 and _.');
  }
  const password = env.BOT_PASSWORD ?? '';
  if ([...password].length < 8) problems.push('BOT_PASSWORD: set one of at least 8 characters.');
  const replyTtlMs = Number(env.BOT_REPLY_TTL_MS ?? 30_000);
  if (!Number.isInteger(replyTtlMs) || replyTtlMs < 10_000 || replyTtlMs > 86_400_000) {
    problems.push('BOT_REPLY_TTL_MS: a whole number of ms within [10000, 86400000].');
  }
  if (problems.length) throw new Error(`Invalid settings:\n  - ${problems.join('\n  - ')}`);
  return { url, username, password, replyTtlMs };
}
