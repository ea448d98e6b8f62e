const memo = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * One answer per SSH connection and key: a remote host's probes and sweeps run once per connection however many
 * models ask (the connection is the comparison's, so a later comparison asks again). A rejected answer is kept too:
 * the next asker gets the same error rather than a second attempt mid-comparison.
 */
export function oncePerConnection<T>(conn: object, key: string, work: () => Promise<T>): Promise<T> {
  let byKey = memo.get(conn);
  if (!byKey) memo.set(conn, (byKey = new Map()));
  let p = byKey.get(key) as Promise<T> | undefined;
  if (!p) byKey.set(key, (p = work()));
  return p;
}
