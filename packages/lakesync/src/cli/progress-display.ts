/**
 * @module cli/progress-display
 * Progress of long commands (`compact`, `expire`, `migrate`): one bar per piece of work
 * (cli-progress) when standard error is a terminal, plain lines otherwise (a line when a piece
 * starts, at every quarter and when it is done), so logs and CI output stay readable.
 */
import { MultiBar, Presets, type SingleBar } from "cli-progress";
import type { CliIO } from "./cli-io.js";

/** Where a command reports its progress. */
export interface ProgressDisplay {
  /**
   * Sets the piece of work `key` (shown as `label`, created on first use) to `done` of `total`;
   * `detail` follows the numbers (rows, bytes, the current item).
   */
  update(key: string, label: string, done: number, total: number, detail?: string): void;
  /** Stops drawing; the bars stay on screen. */
  stop(): void;
}

const LABEL_WIDTH = 36;

function barDisplay(stream: NonNullable<CliIO["progressStream"]>): ProgressDisplay {
  const bars = new Map<string, SingleBar>();
  let stopped = false;
  const multi = new MultiBar(
    {
      stream,
      format: "{label} |{bar}| {value}/{total} {detail}",
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
      barsize: 24,
    },
    Presets.shades_classic,
  );
  return {
    update(key, label, done, total, detail = "") {
      const payload = { label: label.padEnd(LABEL_WIDTH).slice(0, LABEL_WIDTH), detail };
      const bar = bars.get(key);
      if (!bar) {
        bars.set(key, multi.create(total, done, payload));
        return;
      }
      bar.setTotal(total);
      bar.update(done, payload);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}

function lineDisplay(write: (text: string) => void): ProgressDisplay {
  /** The last quarter (0-4) printed per key. */
  const printed = new Map<string, number>();
  return {
    update(key, label, done, total, detail = "") {
      const quarter = total <= 0 ? 4 : Math.floor((4 * Math.min(done, total)) / total);
      const last = printed.get(key);
      if (last !== undefined && quarter <= last) return;
      printed.set(key, quarter);
      write(`${label}: ${done}/${total}${detail ? ` ${detail}` : ""}\n`);
    },
    stop() {},
  };
}

/** Bars on a terminal, plain lines through `io.err` otherwise. */
export function progressDisplay(io: CliIO): ProgressDisplay {
  const stream = io.progressStream;
  return stream?.isTTY ? barDisplay(stream) : lineDisplay(io.err);
}
