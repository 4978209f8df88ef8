/**
 * @module cli/format
 * Query results as text for the command line: an aligned table (the default), JSON (an array of
 * row objects; bigints and dates as strings) or CSV (RFC 4180, a header line first).
 */
import { jsonValue, type QueryResult, type QueryValue } from "../duckdb/query-result.js";

/** The output formats of `lakesync-query`. */
export type OutputFormat = "table" | "json" | "csv";

function cellText(value: QueryValue): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(jsonValue(value));
}

function asTable(result: QueryResult): string {
  const names = result.columns.map((c) => c.name);
  const cells = result.rows.map((row) =>
    names.map((n) => (row[n] === null ? "NULL" : cellText(row[n] ?? null))),
  );
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((r) => (r[i] ?? "").length)));
  const numeric = result.columns.map((c) => /INT|DOUBLE|FLOAT|DECIMAL|REAL/.test(c.type));
  const line = (values: readonly string[], pad = true) =>
    values
      .map((v, i) => (pad && numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join(" | ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("-+-");
  const count = `(${result.rows.length} ${result.rows.length === 1 ? "row" : "rows"})`;
  return [line(names, false), rule, ...cells.map((r) => line(r)), count].join("\n");
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `result` as text in `format`, with a final newline. */
export function formatResult(result: QueryResult, format: OutputFormat): string {
  if (format === "json") {
    const rows = result.rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const c of result.columns) out[c.name] = jsonValue(row[c.name] ?? null);
      return out;
    });
    return `${JSON.stringify(rows, null, 2)}\n`;
  }
  if (format === "csv") {
    const names = result.columns.map((c) => c.name);
    const lines = [
      names.map(csvField).join(","),
      ...result.rows.map((row) => names.map((n) => csvField(cellText(row[n] ?? null))).join(",")),
    ];
    return `${lines.join("\r\n")}\r\n`;
  }
  return `${asTable(result)}\n`;
}
