/**
 * HTTP hygiene against the built console (issue 12): status codes, the origin and Host checks, security
 * headers, and the main pages under that Content-Security-Policy in Chromium with no violation and no
 * hydration mismatch.
 */
import { request as httpRequest } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { pickClients, pickColdStart } from "@/test/support/planted-picks";
import { connectBrowser, type BrowserSession } from "./support/browser";
import "./support/provided";

const base = inject("consoleUrl");
const { hostname, port } = new URL(base);

/** A raw request: fetch will not send a Host header other than the URL's. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("status codes", () => {
  it("answers 404 for an unknown function, a malformed trace id and an unknown request", async () => {
    for (const path of [
      "/functions/us-east-1/no-such-fn",
      "/traces/not-a-trace-id",
      "/traces/1-5759e988-bd862e3fe1be46a994272793?region=us-east-1",
      "/requests/00000000-0000-4000-8000-000000000000?region=us-east-1&fn=orders-api",
    ]) {
      expect({ path, status: (await fetch(`${base}${path}`)).status }).toEqual({ path, status: 404 });
    }
    // A page that exists still answers 200.
    expect((await fetch(`${base}/functions/us-east-1/payments-api`)).status).toBe(200);
  });

  it("says a well-formed but unconfigured region is not configured, without asking AWS", async () => {
    const res = await fetch(`${base}/functions/ap-south-1/payments-api`);
    expect(await res.text()).toContain("is not configured");
  });

  it("answers 400, not 500, to an address whose %-escape does not decode", async () => {
    // fetch would normalise the path; send it byte for byte.
    const res = await raw("GET", "/functions/us-east-1/%E0%A4%A", { host: new URL(base).host });
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/malformed %-escape/);
    // On the API, the same refusal is the API's coded JSON error.
    const api = await raw("GET", "/api/traffic/audit/%E0%A4%A", { host: new URL(base).host });
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body)).toMatchObject({ error: { code: "InvalidInput" } });
  });
});

describe("origin and host", () => {
  const logout = (origin: string) =>
    fetch(`${base}/api/auth/logout`, { method: "POST", headers: { origin } });

  it("refuses a POST from the https origin of the same host on the http console", async () => {
    const https = await logout(base.replace(/^http:/, "https:"));
    expect(https.status).toBe(403);
    expect(((await https.json()) as { error: { message: string } }).error.message).toMatch(
      /not this console/,
    );
    // The same POST from the console's own origin goes through: the refusal is the scheme's.
    expect((await logout(base)).status).toBe(200);
  });

  it("refuses a request whose Host is not this console (DNS rebinding)", async () => {
    const foreign = await raw("GET", "/", { host: `rebind.example:${port}` });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatch(/not this console/);
    const post = await raw("POST", "/api/auth/logout", {
      host: `rebind.example:${port}`,
      origin: `http://rebind.example:${port}`,
    });
    expect(post.status).toBe(403);
    // Loopback names and IP literals cannot be rebound: accepted without FLEETSCOPE_PUBLIC_URL.
    expect((await raw("GET", "/login", { host: `localhost:${port}` })).status).toBe(200);
    expect((await raw("GET", "/login", { host: new URL(base).host })).status).toBe(200);
  });
});

describe("security headers", () => {
  it("sends a per-request nonce CSP and the static headers, on pages and API routes", async () => {
    const [a, b] = await Promise.all([fetch(`${base}/login`), fetch(`${base}/login`)]);
    const csp = a.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(b.headers.get("content-security-policy")).not.toContain(nonce);
    for (const directive of [
      "default-src 'self'",
      "'strict-dynamic'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain("unsafe-eval");
    // Next puts the nonce on its own scripts; none is left without it.
    const html = await a.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(1);
    expect(scripts.filter((s) => !s.includes(`nonce="${nonce}"`))).toEqual([]);

    for (const res of [a, await fetch(`${base}/api/auth/me`)]) {
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
    }
  });
});

describe("main pages in Chromium", () => {
  let session: BrowserSession;
  let aws: ReturnType<typeof pickClients>;

  beforeAll(async () => {
    session = await connectBrowser();
    aws = pickClients(inject("sandboxUrl"));
  });

  afterAll(async () => {
    aws?.destroy();
    await session?.close();
  });

  /** Console errors, uncaught errors and CSP violations while `path` loads and hydrates. */
  async function problemsOn(path: string): Promise<{ page: Page; problems: string[] }> {
    const page = await session.context.newPage();
    const problems: string[] = [];
    // Before any page script: a violation report must not depend on the page's own code running.
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
      });
    });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${path}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`${path}: ${e.message}`));
    await page.goto(`${base}${path}`, { waitUntil: "load" });
    // Hydration runs after the scripts load; give React a moment to report a mismatch.
    await page.waitForFunction(() => document.readyState === "complete");
    await page.waitForTimeout(1500);
    return { page, problems };
  }

  it("reports a violation when one happens (the listener works)", async () => {
    const { page, problems } = await problemsOn("/login");
    await page.evaluate(() => {
      const img = new Image();
      img.src = "https://blocked.example/pixel.png";
      document.body.append(img);
    });
    await page.waitForTimeout(500);
    expect(problems.some((p) => p.includes("CSP violation: img-src"))).toBe(true);
  });

  it("shows the 404 pages with what was wrong", async () => {
    const fn = await problemsOn("/functions/us-east-1/no-such-fn");
    await fn.page.getByRole("heading", { name: "Function not found" }).waitFor();
    const trace = await problemsOn("/traces/not-a-trace-id");
    await trace.page.getByRole("heading", { name: "This is not an X-Ray trace id" }).waitFor();
    expect(await trace.page.getByTestId("lookup-message").textContent()).toContain("not-a-trace-id");
    expect([...fn.problems, ...trace.problems].filter((p) => !p.includes("404"))).toEqual([]);
  });

  it(
    "opens every main page with no CSP violation, console error or hydration mismatch",
    { timeout: 300_000 },
    async () => {
      const cold = await pickColdStart(aws, Date.now());
      expect(cold).toBeDefined();
      const paths = [
        "/",
        "/functions",
        "/functions/us-east-1/payments-api",
        "/traffic",
        "/traffic/us-east-1/payments-api/live",
        "/traces",
        `/requests/${cold!.requestId}?region=us-east-1&fn=notify-sms&at=${cold!.report.timestamp}`,
        "/advisor?days=1",
        "/status",
        "/login",
      ];
      const all: string[] = [];
      for (const path of paths) {
        const { page, problems } = await problemsOn(path);
        // The page rendered its own content, not an error boundary.
        expect(await page.locator("main").textContent()).not.toContain("could not be loaded");
        all.push(...problems);
        await page.close();
      }
      expect(all).toEqual([]);
    },
  );
});
