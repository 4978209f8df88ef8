/**
 * @module lib/layout.shared
 * The navigation every layout shares: the product name and the top-level sections.
 */
import type { BaseLayoutProps } from "fumadocs-ui/layouts/shared";
import { appName, docsRoute } from "./shared";

/** Options of the home and docs layouts. */
export function baseOptions(): BaseLayoutProps {
  return {
    nav: {
      title: (
        <span className="flex items-center gap-2 font-semibold">
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path
              d="M3 15c3 0 3-2 6-2s3 2 6 2 3-2 6-2M3 19c3 0 3-2 6-2s3 2 6 2 3-2 6-2M12 3v7m0 0-3-3m3 3 3-3"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          {appName}
        </span>
      ),
    },
    // In the home page's navigation bar only: the docs sidebar lists the same sections.
    links: [
      { text: "Documentation", url: docsRoute, on: "nav" },
      { text: "API reference", url: `${docsRoute}/api`, on: "nav" },
      { text: "Decisions", url: `${docsRoute}/adrs`, on: "nav" },
    ],
  };
}
