import type { Metadata } from "next";
import { AccountsUndecided } from "@/components/accounts/accounts-undecided";
import { AdvisorView } from "@/components/advisor/advisor-view";
import { env } from "@/lib/config/env";
import { advisorScopes, currentAdvisorWindow, getFleetAdvice } from "@/lib/data/advisor";
import { fleetAccounts } from "@/lib/data/telemetry/fleet-scopes";
import { advisorHref, loadAdvisorQuery } from "@/lib/url/advisor";
import { loadAccounts, loadRegions, shellQuery, type SearchParams } from "@/lib/url/shell";

export const metadata: Metadata = { title: "Advisor" };

export default async function AdvisorPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const { targets, error: accountsError } = await fleetAccounts();
  // The shell's accounts (`?accounts=`, absent: every account read) × its regions.
  const { regions } = loadRegions(sp, env().regions);
  const { accounts } = loadAccounts(sp, targets);
  const defaultDays = env().advisorDays;
  const { sort, days, problems } = loadAdvisorQuery(sp, defaultDays);
  const chosen = targets.filter((t) => accounts.includes(t.id));
  const advice = await getFleetAdvice(advisorScopes(chosen, regions), currentAdvisorWindow(days));
  return (
    <>
      <AccountsUndecided error={accountsError} />
      <AdvisorView
        advice={advice}
        sort={sort}
        days={days}
        problems={problems}
        linkQuery={shellQuery(sp)}
        hrefFor={(next) => advisorHref(sp, next, defaultDays)}
      />
    </>
  );
}
