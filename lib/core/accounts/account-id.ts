/** AWS account ids: exactly 12 decimal digits (leading zeros are part of the id, so it stays a string). */
import { invalidInput } from "@/lib/core/errors";

export type AccountId = string & { readonly __brand: "AccountId" };

const ACCOUNT_ID = /^\d{12}$/;

export const isAccountId = (raw: string): raw is AccountId => ACCOUNT_ID.test(raw);

export function parseAccountId(raw: string): AccountId {
  if (isAccountId(raw)) return raw;
  throw invalidInput(`"${raw}" is not an AWS account id: it must be exactly 12 digits`, { value: raw });
}
