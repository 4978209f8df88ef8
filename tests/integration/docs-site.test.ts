/**
 * @module tests/integration/docs-site
 * The documentation site builds and holds together: `npm run docs:build` installs `apps/docs`
 * from its own lockfile when needed (`npm ci`; no network but the npm registry and its cache),
 * generates the API reference and the decision records, and exports the static site to
 * `apps/docs/out`. Then every internal link and asset reference of every exported page must
 * resolve to a file, every page must load in Chromium from a small static server without a
 * script error (a hydration mismatch is one), and the home page and a concept page must render
 * with no request leaving the site; their screenshots are kept in `test-results/docs/`. The
 * steps' times are printed at the end.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "../e2e/browser.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "..", "..");
const DOCS = join(ROOT, "apps", "docs");
const OUT = join(DOCS, "out");
const SHOTS = join(ROOT, "test-results", "docs");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
/**
 * Twenty minutes: a cold `npm ci` of the site (about 280 packages) plus a Next.js build on a
 * loaded two-core machine take several minutes each.
 */
const SETUP_TIMEOUT_MS = 20 * 60_000;
/** Loading every page (about sixty) in Chromium, at a few seconds each on a loaded machine. */
const ALL_PAGES_TIMEOUT_MS = 10 * 60_000;
/** Loading, checking and photographing one page. */
const PAGE_TIMEOUT_MS = 2 * 60_000;

/** The npm settings a nested npm must not inherit from the `npm test` around it. */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig"]);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.toLowerCase().startsWith("npm_") || keep.has(key.toLowerCase())) env[key] = value;
  return {
    ...env,
    npm_config_loglevel: "error",
    npm_config_update_notifier: "false",
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

const timings: Record<string, number> = {};

async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await step();
  } finally {
    timings[label] = Math.round((performance.now() - started) / 100) / 10;
  }
}

/** Runs a command at the repository root; a failure carries its output. */
async function sh(command: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd: ROOT,
      env: cleanEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });
    return `${stdout}${stderr}`;
  } catch (cause) {
    const failed = cause as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(" ")} failed: ${failed.message}\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`,
    );
  }
}

/** Every file under `dir`, as absolute paths. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * The file a site path names, the way static hosts resolve it: the file itself, `path.html`,
 * or `path/index.html`. Undefined when none exists or the path leaves the site.
 */
async function fileFor(sitePath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(sitePath);
  } catch {
    return undefined;
  }
  const base = resolve(OUT, `.${decoded}`);
  if (base !== OUT && !base.startsWith(OUT + sep)) return undefined;
  for (const candidate of [base, `${base}.html`, join(base, "index.html")]) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  return undefined;
}

/** The site path of an exported HTML file (`out/docs/a.html` → `/docs/a`). */
function sitePathOf(file: string): string {
  const path = `/${relative(OUT, file).split(sep).join("/")}`;
  return path.replace(/(\/index)?\.html$/, "") || "/";
}

/** `href` and `src` values of a page (attributes only; inline scripts are not parsed). */
function references(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) =>
    (m[1] ?? "").replace(/&amp;/g, "&"),
  );
}

/** True for references that are not files of this site. */
function external(ref: string): boolean {
  return (
    ref === "" || ref.startsWith("#") || ref.startsWith("//") || /^[a-z][a-z0-9+.-]*:/i.test(ref)
  );
}

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** A static file server over `out/`, resolving paths as `fileFor` does. */
async function serveOut(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    void fileFor(path).then(async (file) => {
      if (!file) {
        response.writeHead(404).end("not found");
        return;
      }
      const body = await readFile(file);
      response
        .writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" })
        .end(body);
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

let html: string[] = [];
let site: { server: Server; url: string } | undefined;
let browser: Browser | undefined;

describe("the documentation site", () => {
  beforeAll(async () => {
    // `docs:build` installs on its own when needed; running the install step first times it.
    await timed("install (npm ci when needed)", () =>
      sh(process.execPath, [join(DOCS, "scripts", "ensure-installed.ts")]),
    );
    const output = await timed("generate and build", () => sh(NPM, ["run", "docs:build"]));
    const generated = /docs: .* generated in [\d.]+ s/.exec(output)?.[0];
    if (generated) console.log(generated);
    html = (await files(OUT)).filter((file) => file.endsWith(".html"));
    site = await serveOut();
    browser = await launch();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (site ? site.server.close(done) : done(undefined)));
    console.log(
      `docs site timings (s): ${Object.entries(timings)
        .map(([step, seconds]) => `${step} ${seconds}`)
        .join(", ")}`,
    );
  });

  it("exports every kind of page: guides, concepts, the API reference and the decision records", async () => {
    const paths = new Set(html.map(sitePathOf));
    for (const page of [
      "/",
      "/docs",
      "/docs/getting-started",
      "/docs/concepts/hlc",
      "/docs/concepts/column-deltas",
      "/docs/concepts/last-writer-wins",
      "/docs/concepts/sync-rules",
      "/docs/concepts/checkpoints",
      "/docs/concepts/lake-layout",
      "/docs/guides/cloudflare-worker",
      "/docs/guides/self-hosting",
      "/docs/guides/sql-databases",
      "/docs/guides/querying",
      "/docs/guides/time-travel",
      "/docs/guides/compaction",
      "/docs/guides/security",
      "/docs/api",
      "/docs/api/core",
      "/docs/api/client",
      "/docs/api/client/react",
      "/docs/api/gateway",
      "/docs/api/adapter/node",
      "/docs/api/catalogue",
      "/docs/api/compactor",
      "/docs/api/analyst/node",
      "/docs/adrs",
    ])
      expect(paths, `the page ${page}`).toContain(page);
    const adrs = (await readdir(join(ROOT, "adrs"))).filter((f) => /^\d{3}-.+\.md$/.test(f));
    expect(adrs.length).toBeGreaterThan(0);
    for (const adr of adrs) expect(paths).toContain(`/docs/adrs/${adr.slice(0, -".md".length)}`);
    expect(existsSync(join(OUT, "api", "search")), "the static search index").toBe(true);
  });

  it("the API reference is generated from the JSDoc, not written by hand", async () => {
    const core = await readFile(join(OUT, "docs", "api", "core.html"), "utf8");
    // A sentence of HLC's JSDoc in packages/core/src/hlc/hlc.ts.
    expect(core).toContain("A hybrid logical clock.");
    expect(existsSync(join(DOCS, "content", "docs", "api", "core.md"))).toBe(true);
  });

  it("every internal link and asset of every page resolves to a file", async () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of html) {
      const page = sitePathOf(file);
      // Relative references resolve against the page's own URL (`/docs/a`, served without `/`).
      const self = new URL(`http://site${page}`);
      for (const ref of references(await readFile(file, "utf8"))) {
        if (external(ref)) continue;
        const target = new URL(ref, self);
        checked++;
        if (!(await fileFor(target.pathname))) broken.push(`${page} -> ${ref}`);
      }
    }
    expect(checked).toBeGreaterThan(html.length);
    expect([...new Set(broken)]).toEqual([]);
  });

  it(
    "every page loads in Chromium without a script error (hydration included)",
    async () => {
      if (!browser || !site) throw new Error("setup did not finish");
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      let current = "";
      page.on("pageerror", (error) => errors.push(`${current}: ${error.message}`));
      for (const path of html.map(sitePathOf).filter((p) => !p.startsWith("/_not-found"))) {
        current = path;
        await page.goto(`${site.url}${path}`, { waitUntil: "networkidle" });
      }
      await context.close();
      expect(errors).toEqual([]);
    },
    ALL_PAGES_TIMEOUT_MS,
  );

  for (const [name, path, heading] of [
    ["home", "/", "From local SQLite to an Iceberg lake"],
    ["concept-last-writer-wins", "/docs/concepts/last-writer-wins", "Last writer wins, per column"],
  ] as const)
    it(
      `Chromium renders ${path} from local files only (screenshot ${name}.png)`,
      async () => {
        if (!browser || !site) throw new Error("setup did not finish");
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        const errors: string[] = [];
        const outside: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));
        page.on("request", (request) => {
          const url = request.url();
          if (!url.startsWith(site?.url ?? "") && !url.startsWith("data:")) outside.push(url);
        });
        await page.goto(`${site.url}${path}`, { waitUntil: "networkidle" });
        await expect
          .poll(() => page.locator("h1").first().textContent(), { timeout: 30_000 })
          .toBe(heading);
        // The font comes from the site itself (@fontsource-variable/inter), never a font service.
        await page.evaluate(() => document.fonts.ready);
        const inter = await page.evaluate(() => document.fonts.check('16px "Inter Variable"'));
        await mkdir(SHOTS, { recursive: true });
        // What a reader sees on opening the page (a full-page shot would stretch the sidebar).
        await page.screenshot({ path: join(SHOTS, `${name}.png`) });
        await context.close();
        expect(errors).toEqual([]);
        expect(outside).toEqual([]);
        expect(inter).toBe(true);
      },
      PAGE_TIMEOUT_MS,
    );
});
