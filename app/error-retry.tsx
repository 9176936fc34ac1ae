"use client";

import { Button } from "@/components/ui/button";

/** The end of both error pages (route and global): the server's reference for the log, and a retry. */
export function ErrorRetry({ digest, retry }: { digest: string | null; retry: () => void }) {
  return (
    <>
      {digest ? <p className="text-xs text-zinc-500">Reference: {digest}</p> : null}
      <Button variant="primary" onClick={() => retry()}>
        Try again
      </Button>
    </>
  );
}
