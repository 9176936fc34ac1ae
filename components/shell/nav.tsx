"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { shellQuery } from "@/lib/url/shell";

const ITEMS = [
  { href: "/", label: "Fleet", match: (p: string) => p === "/" },
  { href: "/functions", label: "Functions", match: (p: string) => p.startsWith("/functions") },
  {
    href: "/traces",
    label: "Traces",
    match: (p: string) => p.startsWith("/traces") || p.startsWith("/requests"),
  },
  { href: "/errors", label: "Errors", match: (p: string) => p.startsWith("/errors") },
  { href: "/map", label: "Service map", match: (p: string) => p.startsWith("/map") },
  { href: "/sources", label: "Sources", match: (p: string) => p.startsWith("/sources") },
  { href: "/traffic", label: "Traffic", match: (p: string) => p.startsWith("/traffic") },
  { href: "/advisor", label: "Advisor", match: (p: string) => p.startsWith("/advisor") },
  { href: "/status", label: "Collector", match: (p: string) => p.startsWith("/status") },
  { href: "/accounts", label: "Accounts", match: (p: string) => p.startsWith("/accounts") },
];

/** Top navigation; links carry the selected regions and time range along. */
export function Nav() {
  const pathname = usePathname();
  const query = shellQuery(useSearchParams());
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {ITEMS.map((item) => {
        const active = item.match(pathname);
        return (
          <Link
            key={item.href}
            href={`${item.href}${query}`}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-2.5 py-1.5 text-sm font-medium outline-none focus-visible:ring-2 focus-visible:ring-sky-500 ${
              active
                ? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50"
                : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            }`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
