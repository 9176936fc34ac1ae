import type { Metadata } from "next";
import { AdvisorView } from "@/components/advisor/advisor-view";
import { env } from "@/lib/config/env";
import { currentAdvisorWindow, getFleetAdvice } from "@/lib/data/advisor";
import { advisorHref, loadAdvisorQuery } from "@/lib/url/advisor";
import { loadRegions, shellQuery, type SearchParams } from "@/lib/url/shell";

export const metadata: Metadata = { title: "Advisor" };

export default async function AdvisorPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const { regions } = loadRegions(sp, env().regions);
  const defaultDays = env().advisorDays;
  const { sort, days, problems } = loadAdvisorQuery(sp, defaultDays);
  const advice = await getFleetAdvice(regions, currentAdvisorWindow(days));
  return (
    <AdvisorView
      advice={advice}
      sort={sort}
      days={days}
      problems={problems}
      linkQuery={shellQuery(sp)}
      hrefFor={(next) => advisorHref(sp, next, defaultDays)}
    />
  );
}
