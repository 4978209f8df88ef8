/**
 * @module app/home
 * The landing page: what LakeSync is, the two commands, and where to read on.
 */
import Link from "next/link";

const sections = [
  {
    title: "Getting started",
    href: "/docs/getting-started",
    text: "Run the gateway and the todo app with one command, sync two windows, query the lake.",
  },
  {
    title: "Concepts",
    href: "/docs/concepts",
    text: "Hybrid logical clocks, column deltas, last-writer-wins, sync rules, checkpoints and the lake.",
  },
  {
    title: "Guides",
    href: "/docs/guides",
    text: "Deploy on Cloudflare or Node, flush to PostgreSQL or MySQL, query with DuckDB, Spark or Trino.",
  },
  {
    title: "API reference",
    href: "/docs/api",
    text: "Every package's public API, generated from the source's documentation comments.",
  },
  {
    title: "Decision records",
    href: "/docs/adrs",
    text: "Why LakeSync is built the way it is: each architectural decision and its trade-offs.",
  },
] as const;

const layers = [
  ["Client", "Local SQLite (sql.js), a durable outbox, queries that re-run on change"],
  ["Gateway", "Cloudflare Durable Objects or Node: merges, filters by sync rules, flushes"],
  ["Lake", "Apache Iceberg v2 tables that DuckDB, Spark, Trino and PyIceberg read"],
] as const;

export default function HomePage() {
  return (
    <main className="mx-auto flex w-full max-w-5xl flex-1 flex-col gap-12 px-6 py-16">
      <section className="flex flex-col gap-5">
        <p className="text-sm font-medium uppercase tracking-wider text-fd-primary">
          Local-first sync for TypeScript
        </p>
        <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">
          From local SQLite to an Iceberg lake
        </h1>
        <p className="max-w-3xl text-lg text-fd-muted-foreground">
          Apps write to a local database and keep working offline. Every change becomes a
          column-level delta stamped with a hybrid logical clock; a gateway merges them column by
          column, serves each user the rows their sync rules grant, and flushes everything to
          PostgreSQL, MySQL or Apache Iceberg tables that any SQL engine can query.
        </p>
        <div className="flex flex-wrap gap-3">
          <Link
            href="/docs/getting-started"
            className="rounded-lg bg-fd-primary px-4 py-2 text-sm font-medium text-fd-primary-foreground"
          >
            Get started
          </Link>
          <Link
            href="/docs/concepts"
            className="rounded-lg border px-4 py-2 text-sm font-medium hover:bg-fd-accent"
          >
            How it works
          </Link>
        </div>
      </section>

      <section className="grid gap-4 md:grid-cols-2">
        <div className="rounded-xl border bg-fd-card p-5">
          <h2 className="mb-2 font-semibold">Run it</h2>
          <pre className="overflow-x-auto rounded-md bg-fd-muted p-3 text-sm">
            <code>npm ci && npm start</code>
          </pre>
          <p className="mt-2 text-sm text-fd-muted-foreground">
            The gateway and the todo app at http://127.0.0.1:8787, with a local Iceberg lake.
          </p>
        </div>
        <div className="rounded-xl border bg-fd-card p-5">
          <h2 className="mb-2 font-semibold">Test it</h2>
          <pre className="overflow-x-auto rounded-md bg-fd-muted p-3 text-sm">
            <code>npm ci && npm test</code>
          </pre>
          <p className="mt-2 text-sm text-fd-muted-foreground">
            Lint, types, every unit and integration test, and the browser tests in Chromium.
          </p>
        </div>
      </section>

      <section className="grid gap-4 md:grid-cols-3">
        {layers.map(([name, text]) => (
          <div key={name} className="rounded-xl border p-5">
            <h2 className="mb-1 font-semibold">{name}</h2>
            <p className="text-sm text-fd-muted-foreground">{text}</p>
          </div>
        ))}
      </section>

      <section className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {sections.map((section) => (
          <Link
            key={section.href}
            href={section.href}
            className="rounded-xl border bg-fd-card p-5 transition-colors hover:bg-fd-accent"
          >
            <h2 className="mb-1 font-semibold">{section.title}</h2>
            <p className="text-sm text-fd-muted-foreground">{section.text}</p>
          </Link>
        ))}
      </section>
    </main>
  );
}
