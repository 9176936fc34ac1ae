import type { ReactNode } from "react";
import { PageMessage } from "./notice";

/** A route that exists so links can be shared, but whose view is not built yet. Shows no data at all. */
export function ComingSoon({ title, children }: { title: string; children: ReactNode }) {
  return (
    <PageMessage code="Not built yet" title={title}>
      {children}
    </PageMessage>
  );
}
