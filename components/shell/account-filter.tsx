import type { KnownAccount } from "@/lib/url/shell";
import { AccountSelector } from "./account-selector";

/** Waits for the accounts (the layout's promise, which never rejects) in its own Suspense, not the header's. */
export async function AccountFilter({ accounts }: { accounts: Promise<readonly KnownAccount[]> }) {
  return <AccountSelector known={await accounts} />;
}
