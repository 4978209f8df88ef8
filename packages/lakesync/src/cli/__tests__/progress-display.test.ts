import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { progressDisplay } from "../progress-display.js";

function terminal(): Writable & { isTTY: boolean; columns: number; text: () => string } {
  let written = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  });
  return Object.assign(stream, {
    isTTY: true,
    columns: 120,
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
    clearScreenDown: () => true,
    text: () => written,
  });
}

describe("progress of long commands", () => {
  it("off a terminal: a plain line when a piece starts, at each quarter, and when it is done", () => {
    const lines: string[] = [];
    const display = progressDisplay({
      out: () => {},
      err: (text) => lines.push(text),
      env: {},
      cwd: "/",
    });
    for (let done = 0; done <= 8; done++) display.update("t", "compact ns.t", done, 8, "files");
    display.stop();
    expect(lines).toEqual([
      "compact ns.t: 0/8 files\n",
      "compact ns.t: 2/8 files\n",
      "compact ns.t: 4/8 files\n",
      "compact ns.t: 6/8 files\n",
      "compact ns.t: 8/8 files\n",
    ]);
  });

  it("on a terminal: a bar per piece of work drawn on the stream, nothing as lines", () => {
    const stream = terminal();
    const lines: string[] = [];
    const display = progressDisplay({
      out: () => {},
      err: (text) => lines.push(text),
      env: {},
      cwd: "/",
      progressStream: stream,
    });
    display.update("a", "compact ns.a", 1, 2, "files");
    display.update("b", "compact ns.b", 2, 2, "files");
    display.update("a", "compact ns.a", 2, 2, "files");
    display.stop();
    expect(lines).toEqual([]);
    expect(stream.text()).toContain("compact ns.a");
    expect(stream.text()).toContain("compact ns.b");
    expect(stream.text()).toContain("2/2 files");
  });
});
