"use client";

import { PageMessage } from "@/components/ui/notice";
import { ErrorRetry } from "./error-retry";
import { useStoreDown } from "./use-store-down";

/**
 * Last-resort boundary: something failed that the page did not degrade on its own. The commonest cause in a
 * team deployment is the store being down, which the message then says (production hides the server's own).
 */
export default function RouteError({ error, retry }: { error: unknown; retry: () => void }) {
  const storeDown = useStoreDown();
  // Production hides server error messages behind a digest; show what we are given.
  const message = error instanceof Error ? error.message : String(error);
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : null;
  return (
    <PageMessage code="Error" title="This view could not be loaded">
      {storeDown ? (
        <p>
          The store is unreachable, which is the likely cause:{" "}
          <span className="font-mono text-xs">{storeDown}</span>
        </p>
      ) : null}
      <p className="break-words font-mono text-xs">{message}</p>
      <ErrorRetry digest={digest} retry={retry} />
    </PageMessage>
  );
}
