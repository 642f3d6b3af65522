export const SESSION_COOKIE = 'ec_session';

/** The value of one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

export interface CookieOptions {
  secure: boolean;
  /** Set from another site (the embedded widget): SameSite=None and a partitioned jar (CHIPS). */
  crossSite: boolean;
}

/** `Set-Cookie` for the session; `maxAgeS = 0` clears it. HttpOnly: page scripts never see it. */
export function sessionCookie(value: string, maxAgeS: number, options: CookieOptions): string {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', `Max-Age=${maxAgeS}`, 'HttpOnly'];
  if (options.secure) parts.push('Secure');
  parts.push(options.crossSite ? 'SameSite=None' : 'SameSite=Lax');
  if (options.crossSite) parts.push('Partitioned');
  return parts.join('; ');
}
