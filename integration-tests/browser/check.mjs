// A real browser against a live server (scripts/browser-test starts it): a front end on an
// allowed origin passes Chromium's own CORS preflights and reads the headers it needs; a page
// on another origin is refused by the browser; Swagger UI renders under the /docs CSP and
// cannot be framed.
import http from "node:http";
import { chromium } from "playwright-core";

const api = process.env.API;
const token = process.env.TOKEN;
const [frontPort, strangerPort] = [Number(process.env.FRONT_PORT), Number(process.env.STRANGER_PORT)];

// The page a front end would be: a GET and a POST with a bearer token (each needs a
// preflight), and /docs/ in an iframe.
const frontEnd = `<!doctype html><meta charset="utf-8"><title>front end</title>
<script>
window.result = (async () => {
  try {
    const list = await fetch("${api}/v1/districts", { headers: { Authorization: "Bearer ${token}" } });
    const created = await fetch("${api}/v1/districts", {
      method: "POST",
      headers: { Authorization: "Bearer ${token}", "Content-Type": "application/json", "Idempotency-Key": "browser-" + Date.now() },
      body: JSON.stringify({ id: "webbstaden-" + Date.now(), name: "Webbstaden", jobbtorg_id: "jarva" }),
    });
    return {
      listStatus: list.status, requestId: list.headers.get("X-Request-Id"),
      createdStatus: created.status, location: created.headers.get("Location"), etag: created.headers.get("ETag"),
      remaining: created.headers.get("RateLimit-Remaining"),
    };
  } catch (error) {
    return { error: String(error) };
  }
})();
</script>
<iframe id="docs" src="${api}/docs/"></iframe>`;

function serve(port) {
  const server = http.createServer((_, response) => {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(frontEnd);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

function check(condition, message) {
  if (!condition) {
    console.error(`FAILED: ${message}`);
    process.exitCode = 1;
  } else {
    console.log(`ok: ${message}`);
  }
}

const servers = [await serve(frontPort), await serve(strangerPort)];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const frontConsole = [];
  page.on("console", (message) => frontConsole.push(message.text()));
  await page.goto(`http://127.0.0.1:${frontPort}/`);
  const allowed = await page.evaluate(() => window.result);
  check(allowed.listStatus === 200, `the allowed origin reads a list (${JSON.stringify(allowed)})`);
  check(/^[0-9a-f-]{36}$/.test(allowed.requestId ?? ""), "X-Request-Id is exposed to the page");
  check(allowed.createdStatus === 201, "the allowed origin creates (a preflighted POST)");
  check((allowed.location ?? "").startsWith("/v1/districts/"), "Location is exposed to the page");
  check(allowed.etag === '"1"', "ETag is exposed to the page");
  check(allowed.remaining !== null, "RateLimit-Remaining is exposed to the page");
  await page.waitForTimeout(500);
  check(
    frontConsole.some((text) => text.includes("frame-ancestors")),
    "the browser refuses to show /docs/ in a frame (frame-ancestors 'none')",
  );

  const stranger = await browser.newPage();
  await stranger.goto(`http://127.0.0.1:${strangerPort}/`);
  const refused = await stranger.evaluate(() => window.result);
  check(typeof refused.error === "string", `another origin is refused by the browser (${JSON.stringify(refused)})`);

  const docs = await browser.newPage();
  const violations = [];
  docs.on("console", (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text());
  });
  docs.on("pageerror", (error) => violations.push(String(error)));
  await docs.goto(`${api}/docs/`);
  await docs.waitForSelector(".swagger-ui .info .title", { timeout: 15000 });
  const title = await docs.textContent(".swagger-ui .info .title");
  check((title ?? "").includes("Jobbtorg API"), "Swagger UI renders the contract under the CSP");
  await docs.waitForSelector(".opblock", { timeout: 15000 });
  check((await docs.locator(".opblock").count()) > 50, "Swagger UI lists the operations");
  check(violations.length === 0, `no CSP violation or script error on /docs/ (${violations.join(" | ")})`);
} finally {
  await browser.close();
  for (const server of servers) server.close();
}
