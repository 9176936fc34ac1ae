"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { PageMessage } from "@/components/ui/notice";

/**
 * not-found.tsx receives no params, so the function and region come from the address itself (text only).
 */
export function FunctionNotFound() {
  const [, , region = "", name = ""] = usePathname().split("/");
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return (
    <PageMessage code="404 · Not found" title="Function not found">
      <p>
        No function named <strong className="font-mono">{decode(name)}</strong> exists in region{" "}
        <strong className="font-mono">{decode(region)}</strong>.
      </p>
      <p>It may have been deleted, or it may live in another region or account.</p>
      <p>
        <Link href="/functions" className="text-sky-700 underline dark:text-sky-400">
          Search all functions
        </Link>
      </p>
    </PageMessage>
  );
}
