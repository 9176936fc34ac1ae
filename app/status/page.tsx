import type { Metadata } from "next";
import { connection } from "next/server";
import { collectorStatus } from "@/lib/data/collector/status";
import { CollectorStatusBody } from "./collector-status";

export const metadata: Metadata = { title: "Collector status" };

/** The collector's status: what is collected, the backfill's progress, what it cost AWS, and its errors. */
export default async function StatusPage() {
  await connection();
  return <CollectorStatusBody s={collectorStatus()} />;
}
