/** What the bot says to a message with `remainingMs` left to live. */
export function replyTo(text: string, remainingMs: number): string {
  const seconds = Math.max(0, Math.round(remainingMs / 1000));
  const left =
    seconds >= 3600
      ? `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`
      : seconds >= 60
        ? `${Math.floor(seconds / 60)} min ${seconds % 60} s`
        : `${seconds} s`;
  const quote = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `“${quote}” has ${left} left before it disappears.`;
}
