import { FunctionNotFound } from "@/components/functions/function-not-found";

export default function NotFound() {
  return <FunctionNotFound />;
}
