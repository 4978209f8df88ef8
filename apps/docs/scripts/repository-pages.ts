/**
 * @module scripts/repository-pages
 * Pages rendered from documents that live in the repository, so the site never holds a
 * hand-made copy: the architecture decision records (`adrs/*.md`, with their index) and the
 * security model (`SECURITY.md`). Links between records become site links; links to other files
 * of the repository (which the site does not carry) keep their text.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type FrontMatter,
  frontMatter,
  isExternal,
  rewriteLinks,
  takeFirstParagraph,
  takeTitle,
} from "./markdown.ts";

/** Repository documents that have a page on the site, by their path from the repository root. */
const SITE_PAGES: Readonly<Record<string, string>> = {
  "SECURITY.md": "/docs/guides/security",
  "README.md": "/docs/getting-started",
};

/**
 * A sentence of SECURITY.md written for the time before this site existed; it is left out of
 * the page (and does nothing once SECURITY.md no longer says it).
 */
const PRE_SITE_NOTE =
  /\s+The documentation site will carry this page;\s+until\s+then it lives here\./;

/** A link target from a document in `fromDir` (repository-relative), rewritten for the site. */
function siteLink(fromDir: string, target: string, adrs: ReadonlySet<string>): string | null {
  if (isExternal(target)) return target;
  const [path = "", hash] = target.split("#");
  const resolved = new URL(path, `file:///${fromDir === "" ? "" : `${fromDir}/`}`).pathname.slice(
    1,
  );
  const adr = /^adrs\/(.+)\.md$/.exec(resolved)?.[1];
  let url: string | undefined;
  if (adr !== undefined && adrs.has(adr))
    url = adr === "README" ? "/docs/adrs" : `/docs/adrs/${adr}`;
  else url = SITE_PAGES[resolved];
  if (url === undefined) return null;
  return hash ? `${url}#${hash}` : url;
}

/**
 * Writes a page whose title is its first heading. `describe` picks the description and the body
 * that remains; by default the leading paragraph becomes the description.
 */
async function writePage(
  file: string,
  markdown: string,
  fallbackTitle: string,
  describe: (body: string) => { paragraph: string | undefined; body: string } = takeFirstParagraph,
): Promise<void> {
  const { title = fallbackTitle, body: afterTitle } = takeTitle(markdown);
  const { paragraph: description, body } = describe(afterTitle);
  const meta: FrontMatter = { title, ...(description ? { description } : {}) };
  await writeFile(file, frontMatter(meta) + body);
}

/** Renders `adrs/*.md` into `outDir` (replacing it); returns the number of records. */
export async function generateAdrPages(repoRoot: string, outDir: string): Promise<number> {
  const names = (await readdir(join(repoRoot, "adrs")))
    .filter((name) => name.endsWith(".md"))
    .map((name) => name.slice(0, -".md".length))
    .sort();
  const known = new Set(names);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const records: string[] = [];
  for (const name of names) {
    const source = await readFile(join(repoRoot, "adrs", `${name}.md`), "utf8");
    const linked = rewriteLinks(source, (target) => siteLink("adrs", target, known));
    if (name === "README") {
      await writePage(join(outDir, "index.md"), linked, "Architecture decision records");
    } else {
      records.push(name);
      // The record's status line ("Status: accepted (2026-12-01)") becomes its description.
      await writePage(join(outDir, `${name}.md`), linked, name, (body) => {
        const status = /^Status: .+$/m.exec(body)?.[0];
        return { paragraph: status, body: status ? body.replace(status, "") : body };
      });
    }
  }
  const meta = { title: "Decision records", pages: records, defaultOpen: false };
  await writeFile(join(outDir, "meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
  return records.length;
}

/** Renders `SECURITY.md` as the page `file`. */
export async function generateSecurityPage(repoRoot: string, file: string): Promise<void> {
  const source = (await readFile(join(repoRoot, "SECURITY.md"), "utf8")).replace(PRE_SITE_NOTE, "");
  const linked = rewriteLinks(source, (target) => siteLink("", target, new Set()));
  await writePage(file, linked, "Security");
}
