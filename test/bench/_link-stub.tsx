/** next/link outside Next (benchmark bundles only): a plain anchor. */
import type { AnchorHTMLAttributes } from "react";

export default function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a {...props} />;
}

/** Outside Next no navigation is ever pending. */
export function useLinkStatus(): { pending: boolean } {
  return { pending: false };
}
