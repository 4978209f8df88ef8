/**
 * @module bench/harness
 * A tiny benchmark harness: timed runs with warm-up, and a markdown table with ratios against a
 * baseline measured in the same process, because absolute times on a shared machine are noisy.
 */

/** One measured row of a benchmark table. */
export interface BenchRow {
  /** What was measured, e.g. "encode 10k deltas (LakeSync)". */
  readonly name: string;
  /** Operations (deltas, rows, requests …) per second. */
  readonly opsPerSec: number;
  /** The unit of an operation, e.g. "deltas". */
  readonly unit: string;
  /** Name of the baseline row this row is compared with, if any. */
  readonly baseline?: string;
  /** Free-form extra figure, e.g. "41 B/delta". */
  readonly note?: string;
}

/** Options for {@link measure}. */
export interface MeasureOptions {
  /** Operations performed by one call of the measured function. Defaults to 1. */
  readonly opsPerCall?: number;
  /** Minimum measured time in ms. Defaults to 500 (or BENCH_MIN_MS). */
  readonly minMs?: number;
  /** Warm-up calls before measuring. Defaults to 3. */
  readonly warmup?: number;
}

/**
 * Runs `fn` repeatedly for at least `minMs` after warm-up and returns operations per second,
 * taking the median of per-call rates so one slow outlier (a GC pause) does not skew it.
 */
export async function measure(fn: () => unknown, options: MeasureOptions = {}): Promise<number> {
  const opsPerCall = options.opsPerCall ?? 1;
  const minMs = options.minMs ?? Number(process.env.BENCH_MIN_MS ?? 500);
  for (let i = 0; i < (options.warmup ?? 3); i++) await fn();
  const rates: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs || rates.length < 3) {
    const t0 = performance.now();
    await fn();
    const dt = performance.now() - t0;
    rates.push((opsPerCall * 1000) / Math.max(dt, 1e-6));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)] ?? 0;
}

function formatRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n.toFixed(1);
}

/** Renders rows as a markdown table with a ratio column (row / baseline, higher is faster). */
export function table(title: string, rows: readonly BenchRow[]): string {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const lines = [
    `### ${title}`,
    "",
    "| benchmark | ops/s | unit | vs baseline | note |",
    "| --- | ---: | --- | ---: | --- |",
  ];
  for (const row of rows) {
    const base = row.baseline ? byName.get(row.baseline) : undefined;
    const ratio = base
      ? `${(row.opsPerSec / base.opsPerSec).toFixed(2)}x ${row.baseline}`
      : "baseline";
    lines.push(
      `| ${row.name} | ${formatRate(row.opsPerSec)} | ${row.unit} | ${ratio} | ${row.note ?? ""} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
