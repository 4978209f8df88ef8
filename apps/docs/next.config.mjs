/**
 * @module next.config
 * A static export (`out/`): every page is an HTML file, so the site is served by any file server.
 */
import { createMDX } from "fumadocs-mdx/next";

const withMDX = createMDX();

/** @type {import('next').NextConfig} */
const config = {
  output: "export",
  reactStrictMode: true,
  // This app lives inside the monorepo but installs on its own: its root is this folder.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
};

export default withMDX(config);
