/** STS's awsQuery success envelope: `<XResponse><XResult>…</XResult><ResponseMetadata/></XResponse>`. */
import { randomUUID } from "node:crypto";
import type { SandboxResponse } from "../http/types";
import { STS_XMLNS, xmlEscape } from "../protocol/errors";

export type XmlValue = string | { [member: string]: XmlValue };

function members(value: { [member: string]: XmlValue }): string {
  return Object.entries(value)
    .map(([k, v]) => `<${k}>${typeof v === "string" ? xmlEscape(v) : members(v)}</${k}>`)
    .join("");
}

export function xmlResponse(action: string, result: { [member: string]: XmlValue }): SandboxResponse {
  return {
    status: 200,
    headers: { "content-type": "text/xml" },
    body:
      `<${action}Response xmlns="${STS_XMLNS}"><${action}Result>${members(result)}</${action}Result>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}
