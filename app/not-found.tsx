import Link from "next/link";
import { PageMessage } from "@/components/ui/notice";

export default function NotFound() {
  return (
    <PageMessage code="404" title="Page not found">
      <p>There is no page at this address.</p>
      <p>
        <Link href="/functions" className="text-sky-700 underline dark:text-sky-400">
          Browse functions
        </Link>
      </p>
    </PageMessage>
  );
}
