/**
 * @module source.config
 * Fumadocs MDX's collections: every `.mdx` and `.md` page under `content/docs` (hand-written
 * guides and the generated API reference and decision records) and the `meta.json` files that
 * order the sidebar. Fumadocs MDX compiles them into `.source/` during builds.
 */
import { metaSchema, pageSchema } from "fumadocs-core/source/schema";
import { defineConfig, defineDocs } from "fumadocs-mdx/config";

export const docs = defineDocs({
  dir: "content/docs",
  docs: { schema: pageSchema },
  meta: { schema: metaSchema },
});

export default defineConfig();
