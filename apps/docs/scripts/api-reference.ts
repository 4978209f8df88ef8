/**
 * @module scripts/api-reference
 * The API reference, generated from the packages' JSDoc at build time: TypeDoc with
 * typedoc-plugin-markdown writes one Markdown page per entry point (`@lakesync/core`,
 * `@lakesync/adapter/node`, ...), then the pages get front matter, a folder layout Fumadocs can
 * show (a module with sub-entries becomes a folder with an index page), absolute links and a
 * sidebar order that follows the package graph.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, posix, relative, resolve } from "node:path";
import { Application, OptionDefaults, type TypeDocOptions } from "typedoc";
import type { PluginOptions } from "typedoc-plugin-markdown";
import {
  frontMatter,
  isExternal,
  rewriteLinks,
  takeFirstParagraph,
  takeTitle,
} from "./markdown.ts";

/** The public entry points, in the order of the package graph (what the sidebar follows). */
export const ENTRY_POINTS = [
  "core/src/index.ts",
  "proto/src/index.ts",
  "adapter/src/index.ts",
  "adapter/src/node.ts",
  "adapter/src/testing.ts",
  "adapter/src/testing-node.ts",
  "parquet/src/index.ts",
  "parquet/src/node.ts",
  "client/src/index.ts",
  "client/src/react/index.ts",
  "gateway/src/index.ts",
  "gateway/src/node.ts",
  "catalogue/src/index.ts",
  "catalogue/src/node.ts",
  "compactor/src/index.ts",
  "compactor/src/node.ts",
  "analyst/src/index.ts",
  "analyst/src/node.ts",
  "server/src/index.ts",
] as const;

/** The order of the packages in the sidebar (folder names, which TypeDoc takes from the modules). */
const PACKAGE_ORDER = [
  "core",
  "proto",
  "adapter",
  "parquet",
  "client",
  "gateway",
  "catalogue",
  "compactor",
  "analyst",
  "server",
];

/** Where the API pages live under the site's docs route. */
const API_URL = "/docs/api";

/** Runs TypeDoc into `rawDir`; resolves to the number of warnings, or throws on errors. */
async function runTypeDoc(repoRoot: string, docsRoot: string, rawDir: string): Promise<number> {
  const options: TypeDocOptions & Partial<PluginOptions> = {
    name: "API reference",
    entryPoints: ENTRY_POINTS.map((entry) => join(repoRoot, "packages", entry)),
    tsconfig: join(docsRoot, "typedoc.tsconfig.json"),
    plugin: ["typedoc-plugin-markdown", join(docsRoot, "scripts", "typedoc-module-names.ts")],
    out: rawDir,
    // The packages are type-checked by `npm run typecheck`; the reference must not fail on a
    // colleague's half-written file, only describe it.
    skipErrorChecking: true,
    excludeExternals: true,
    excludePrivate: true,
    excludeInternal: true,
    readme: "none",
    disableSources: true,
    excludeScopesInPaths: true,
    entryFileName: "index",
    router: "module",
    hidePageHeader: true,
    hideBreadcrumbs: true,
    useCodeBlocks: true,
    parametersFormat: "table",
    interfacePropertiesFormat: "table",
    classPropertiesFormat: "table",
    typeDeclarationFormat: "table",
    enumMembersFormat: "table",
    propertyMembersFormat: "table",
    indexFormat: "table",
    // protobuf-es marks generated code with @generated; it is not a TSDoc tag, and harmless.
    blockTags: [...OptionDefaults.blockTags, "@generated"],
    logLevel: "Warn",
  };
  const app = await Application.bootstrapWithPlugins(options);
  const project = await app.convert();
  if (!project || app.logger.hasErrors()) throw new Error("TypeDoc could not convert the packages");
  await app.generateOutputs(project);
  if (app.logger.hasErrors()) throw new Error("TypeDoc could not write the API reference");
  return app.logger.warningCount;
}

/** Every `.md` file under a folder, as `/`-separated paths relative to it. */
async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

/** Where each page TypeDoc wrote goes: `adapter.md` beside `adapter/` becomes `adapter/index.md`. */
function finalPaths(files: readonly string[]): Map<string, string> {
  const folders = new Set(files.map((file) => posix.dirname(file)));
  const out = new Map<string, string>();
  for (const file of files) {
    const stem = file.slice(0, -".md".length);
    out.set(file, folders.has(stem) ? `${stem}/index.md` : file);
  }
  return out;
}

/** The site URL of a page at `path` (relative to the API folder). */
function pageUrl(path: string): string {
  const stem = path.slice(0, -".md".length).replace(/(^|\/)index$/, "");
  return stem === "" ? API_URL : `${API_URL}/${stem}`;
}

/** Orders a folder's pages: the package graph's order, then by name. */
function sidebarOrder(names: readonly string[]): string[] {
  const rank = (name: string) => {
    const at = PACKAGE_ORDER.indexOf(name);
    return at === -1 ? PACKAGE_ORDER.length : at;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Generates the API reference into `outDir` (replacing what was there). Returns the number of
 * pages written and TypeDoc's warning count.
 */
export async function generateApiReference(
  repoRoot: string,
  docsRoot: string,
  outDir: string,
): Promise<{ pages: number; warnings: number }> {
  const rawDir = join(docsRoot, ".typedoc");
  await rm(rawDir, { recursive: true, force: true });
  const warnings = await runTypeDoc(repoRoot, docsRoot, rawDir);

  const files = await markdownFiles(rawDir);
  const moves = finalPaths(files);
  await rm(outDir, { recursive: true, force: true });
  const titles = new Map<string, string>();
  for (const file of files) {
    const target = moves.get(file) ?? file;
    const raw = await readFile(join(rawDir, file), "utf8");
    const linked = rewriteLinks(raw, (link) => {
      if (isExternal(link)) return link;
      const [path = "", hash] = link.split("#");
      const resolved = posix.normalize(posix.join(posix.dirname(file), path));
      const moved = moves.get(resolved);
      if (moved === undefined) return null;
      return hash ? `${pageUrl(moved)}#${hash}` : pageUrl(moved);
    });
    const { title = "API reference", body: afterTitle } = takeTitle(linked);
    titles.set(target, title);
    // The module's summary is the page's description (shown under the title).
    const { paragraph: description, body } = takeFirstParagraph(afterTitle);
    await mkdir(dirname(join(outDir, target)), { recursive: true });
    await writeFile(
      join(outDir, target),
      frontMatter({ title, ...(description ? { description } : {}) }) + body,
    );
  }
  await writeMeta(outDir, [...moves.values()], titles);
  await rm(rawDir, { recursive: true, force: true });
  return { pages: files.length, warnings };
}

/** A `meta.json` per folder: its title (its index page's) and the order of its pages. */
async function writeMeta(
  outDir: string,
  pages: readonly string[],
  titles: ReadonlyMap<string, string>,
): Promise<void> {
  const children = new Map<string, Set<string>>();
  const add = (folder: string, name: string) => {
    const set = children.get(folder) ?? new Set<string>();
    set.add(name);
    children.set(folder, set);
  };
  for (const page of pages) {
    const folder = posix.dirname(page);
    add(folder, posix.basename(page, ".md"));
    // Every ancestor folder lists the folder below it.
    let child = folder;
    while (child !== ".") {
      add(posix.dirname(child), posix.basename(child));
      child = posix.dirname(child);
    }
  }
  for (const [folder, names] of children) {
    const indexPath = folder === "." ? "index.md" : `${folder}/index.md`;
    // The index page is the folder's own page (its link in the sidebar), not one of its children.
    const meta = {
      title: titles.get(indexPath) ?? posix.basename(folder),
      pages: sidebarOrder([...names].filter((name) => name !== "index")),
      ...(folder === "." ? { defaultOpen: false } : {}),
    };
    await writeFile(resolve(outDir, folder, "meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
  }
}
