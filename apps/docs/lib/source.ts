/**
 * @module lib/source
 * The documentation pages as Fumadocs sees them: the page tree and lookups by slug, over the
 * collections of `source.config.ts` (compiled by Fumadocs MDX into `.source/`).
 */

import { docs } from "fumadocs-mdx:collections/server";
import { loader } from "fumadocs-core/source";
import { docsRoute } from "./shared";

/** The page tree and page lookup (see https://fumadocs.dev/docs/headless/source-api). */
export const source = loader({
  baseUrl: docsRoute,
  source: docs.toFumadocsSource(),
});
