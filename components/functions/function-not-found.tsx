"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { decodeSegment } from "@/lib/url/params";
import { PageMessage } from "@/components/ui/notice";

/**
 * not-found.tsx receives no params, so the function and region come from the address itself (text only).
 */
export function FunctionNotFound() {
  const [, , region = "", name = ""] = usePathname().split("/");
  return (
    <PageMessage code="404 · Not found" title="Function not found">
      <p>
        No function named <strong className="font-mono">{decodeSegment(name)}</strong> exists in region{" "}
        <strong className="font-mono">{decodeSegment(region)}</strong>.
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
