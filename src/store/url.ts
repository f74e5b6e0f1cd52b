// Database URLs as cnassess shows them: with the password masked. Its own module, without imports, so that cli.ts can
// mask the command line it hands to a store's lock without loading any store at start-up.

/** Whether a `--store` value names a PostgreSQL database rather than a folder. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** The URL with its password replaced by `***`: what every message and `--json` output shows. */
export function maskedUrl(url: string): string {
  // By hand, not with URL: a socket URL (`postgres://user@/db?host=/run/postgresql`) has no host, which URL refuses.
  // The user part ends at the LAST @ of the URL, since a password may hold an unencoded @, #, ? or /. When a query
  // holds an @ too, more is masked than needed: the safe side.
  const scheme = url.indexOf('://') + 3;
  const at = url.lastIndexOf('@');
  const colon = url.indexOf(':', scheme);
  const masked = at > scheme && colon !== -1 && colon < at ? `${url.slice(0, colon)}:***${url.slice(at)}` : url;
  return masked.replace(/([?&]password=)[^&#]*/gi, '$1***');
}
