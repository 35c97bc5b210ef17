/** An empty, `.` or `..` part (a leading, trailing or double slash is an empty one), or a NUL anywhere. */
const NOT_PLAIN = /(?:^|\/)\.{0,2}(?:\/|$)|\0/;

/**
 * Whether fast-import would take `p` as it is: no empty, `.` or `..` part, no leading or trailing
 * slash, no NUL. (Its own module: the template cache's listing proof asks it too, without loading
 * the object writer and node's zlib with it.)
 */
export function plainTreePath(p: string): boolean {
  return !NOT_PLAIN.test(p);
}
