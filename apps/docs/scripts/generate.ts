/**
 * @module scripts/generate
 * Generates the pages that come from elsewhere in the repository, before every build and dev
 * server: the API reference (TypeDoc over the packages' JSDoc), the architecture decision
 * records and the security model. The generated files are ignored by git.
 */
import { join, resolve } from "node:path";
import { generateApiReference } from "./api-reference.ts";
import { generateAdrPages, generateSecurityPage } from "./repository-pages.ts";

const docsRoot = resolve(import.meta.dirname, "..");
const repoRoot = resolve(docsRoot, "..", "..");
const content = join(docsRoot, "content", "docs");

const started = performance.now();
const adrs = await generateAdrPages(repoRoot, join(content, "adrs"));
await generateSecurityPage(repoRoot, join(content, "guides", "security.md"));
const api = await generateApiReference(repoRoot, docsRoot, join(content, "api"));
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `docs: ${adrs} decision records, the security page and ${api.pages} API pages ` +
    `(${api.warnings} TypeDoc warnings) generated in ${seconds} s`,
);
