/**
 * @module app/layout
 * The root layout: the Inter font from npm (never fetched from a font service, so the site
 * builds offline), the theme and the search dialog.
 */
import "@fontsource-variable/inter";
import type { Metadata } from "next";
import { Provider } from "@/components/provider";
import "./global.css";

export const metadata: Metadata = {
  title: { template: "%s | LakeSync", default: "LakeSync" },
  description:
    "A local-first sync engine for TypeScript: local SQLite, column-level last-writer-wins, and an Apache Iceberg lake.",
};

export default function Layout({ children }: LayoutProps<"/">) {
  return (
    <html lang="en-GB" suppressHydrationWarning>
      <body className="flex min-h-screen flex-col">
        <Provider>{children}</Provider>
      </body>
    </html>
  );
}
