/**
 * @module app/api/search
 * The search index, exported once at build time as a static file that the browser searches.
 */
import { createFromSource } from "fumadocs-core/search/server";
import { source } from "@/lib/source";

export const revalidate = false;

export const { staticGET: GET } = createFromSource(source, { language: "english" });
