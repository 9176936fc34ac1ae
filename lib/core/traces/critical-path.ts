/**
 * The critical path: the chain of spans that determined when the trace finished (after jaeger-ui's
 * `criticalPath`). Walking back from a span's end, the child that finished last is on the path; before that
 * child started, the child that finished last before that moment; and so on. Every chosen child is then
 * examined the same way.
 *
 * Invariants: iterative (explicit stack); the root that ends last is always on the path; a child is on the path
 * only if its parent is; O(n log n) for sorting each span's children by end.
 */
import type { SpanTree } from "./types";

/** `onPath[i] === 1` when span i is on the critical path. */
export function criticalPath(tree: SpanTree): Uint8Array {
  const { spans, parent, children } = tree;
  const onPath = new Uint8Array(spans.length);
  let root = -1;
  for (let i = 0; i < spans.length; i++) {
    if (parent[i] !== -1) continue;
    if (root === -1 || (spans[i]?.end ?? 0) > (spans[root]?.end ?? 0)) root = i;
  }
  if (root === -1) return onPath;
  const stack = [root];
  onPath[root] = 1;
  while (stack.length > 0) {
    const i = stack.pop() as number;
    const kids = [...(children[i] ?? [])].sort((a, b) => (spans[b]?.end ?? 0) - (spans[a]?.end ?? 0));
    let cursor = Infinity;
    for (const c of kids) {
      const s = spans[c];
      if (s === undefined) continue;
      // The last child to finish is on the path even if it overran its parent (clock skew between hosts).
      if (cursor !== Infinity && s.end > cursor) continue;
      onPath[c] = 1;
      stack.push(c);
      cursor = s.start;
    }
  }
  return onPath;
}
