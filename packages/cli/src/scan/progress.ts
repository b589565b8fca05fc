import type { ScanProgress } from "@mdkit/scan/node";
import type { TextSink } from "../io.js";

/** Redraws at most this often, in ms. */
const REDRAW_MS = 100;

/** Live progress of a scan on stderr. */
export interface ProgressView {
  /** A file made progress. */
  update(index: number, progress: ScanProgress): void;
  /** A file finished (either way). */
  finished(index: number): void;
  /** Clears the status line. */
  close(): void;
}

const NONE: ProgressView = { update() {}, finished() {}, close() {} };

function describe(name: string, p: ScanProgress): string {
  if (p.phase === "upload") {
    const pct = p.bytesTotal ? Math.floor(((p.bytesSent ?? 0) * 100) / p.bytesTotal) : 0;
    return `${name} uploading ${pct}%`;
  }
  return `${name} analysing ${Math.floor(p.percent ?? 0)}%`;
}

/**
 * One status line on stderr, redrawn in place (`\r`, erase line): files
 * done, files running and the progress of the latest ones. Only when stderr
 * is a terminal: a log file or a pipe gets no progress at all.
 */
export function createProgressView(
  stderr: TextSink,
  nameOf: (index: number) => string,
): ProgressView {
  if (!stderr.isTTY) return NONE;
  const running = new Map<number, string>();
  let done = 0;
  let last = 0;
  let drawn = false;
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - last < REDRAW_MS) return;
    last = now;
    const width = Math.max(20, (stderr.columns ?? 80) - 1);
    const parts = [`${done} done, ${running.size} running`, ...[...running.values()].slice(-3)];
    const line = parts.join(" · ");
    stderr.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
    drawn = true;
  };
  return {
    update(index, progress) {
      running.set(index, describe(nameOf(index), progress));
      draw();
    },
    finished(index) {
      running.delete(index);
      done++;
      draw(true);
    },
    close() {
      if (drawn) stderr.write("\r\x1b[2K");
    },
  };
}
