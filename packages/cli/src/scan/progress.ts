import type { ScanProgress } from "@mdkit/scan/node";
import { type Colors, colorsFor } from "../colors.js";
import type { TextSink } from "../io.js";

/** Redraws at most this often, in ms. */
const REDRAW_MS = 100;

/** Live progress of a scan on stderr. */
export interface ProgressView {
  /** The run's size, once counted (drawn as the total, the percentage and the ETA). */
  setTotal(files: number, bytes: number): void;
  /** A file made progress. */
  update(index: number, progress: ScanProgress): void;
  /** A file finished (either way): its verdict and size. */
  finished(index: number, verdict: string, bytes: number): void;
  /** Clears the progress line. */
  close(): void;
}

const NONE: ProgressView = { setTotal() {}, update() {}, finished() {}, close() {} };

const UNITS = ["B", "kB", "MB", "GB", "TB"];

/** Bytes for people, in decimal units: `14.2 MB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** A duration for people: `42 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** The state the progress line is drawn from. */
export interface ProgressState {
  done: number;
  flagged: number;
  running: number;
  /** Bytes of finished files plus bytes sent of running uploads. */
  bytes: number;
  totalFiles: number | undefined;
  totalBytes: number | undefined;
  elapsedMs: number;
}

/**
 * The progress line: `37/200 files 18% · 2 flagged · 14.2 MB/80.0 MB ·
 * 3.1 MB/s · ETA 21 s · 3 running`. The ETA is from the bytes rate when
 * the size is known, else from the files rate; `--` until there is a rate.
 */
export function progressLine(state: ProgressState, colors: Colors): string {
  const { done, totalFiles, totalBytes, bytes, elapsedMs } = state;
  const seconds = elapsedMs / 1000;
  const pct =
    totalBytes && totalBytes > 0
      ? Math.min(100, Math.floor((bytes * 100) / totalBytes))
      : totalFiles
        ? Math.floor((done * 100) / totalFiles)
        : undefined;
  let eta: number | undefined;
  if (totalBytes && bytes > 0 && seconds > 0)
    eta = ((totalBytes - bytes) / (bytes / seconds)) * 1000;
  else if (totalFiles && done > 0) eta = ((totalFiles - done) * elapsedMs) / done;
  const flagged = `${state.flagged} flagged`;
  return [
    `${done}/${totalFiles ?? "?"} files${pct === undefined ? "" : ` ${pct}%`}`,
    state.flagged > 0 ? colors.red(flagged) : flagged,
    `${formatBytes(bytes)}${totalBytes === undefined ? "" : `/${formatBytes(totalBytes)}`}`,
    `${seconds > 0 ? formatBytes(bytes / seconds) : "0 B"}/s`,
    `ETA ${eta === undefined ? "--" : formatDuration(eta)}`,
    `${state.running} running`,
  ].join(" · ");
}

/**
 * Live progress on stderr, redrawn in place with log-update at most every
 * 100 ms: files done of the total, percentage, flagged files, bytes, rate
 * and ETA. Only when stderr is a terminal: a log file or a pipe gets no
 * progress at all. Colours follow `NO_COLOR` / `FORCE_COLOR`.
 */
export async function createProgressView(
  stderr: TextSink,
  env: Record<string, string | undefined>,
  now: () => number = performance.now.bind(performance),
): Promise<ProgressView> {
  if (!stderr.isTTY) return NONE;
  const { createLogUpdate } = await import("log-update");
  // A pseudo-terminal may report a width of 0: draw for 80 columns then.
  const terminal = {
    write: (text: string) => stderr.write(text),
    get columns() {
      return stderr.columns || 80;
    },
    get rows() {
      return 24;
    },
    isTTY: true,
  };
  const draw = createLogUpdate(terminal as unknown as NodeJS.WriteStream, { showCursor: true });
  const colors = colorsFor(stderr, env);
  const started = now();
  const sent = new Map<number, number>();
  const state: ProgressState = {
    done: 0,
    flagged: 0,
    running: 0,
    bytes: 0,
    totalFiles: undefined,
    totalBytes: undefined,
    elapsedMs: 0,
  };
  let finishedBytes = 0;
  let dirty = true;
  const render = () => {
    if (!dirty) return;
    dirty = false;
    state.running = sent.size;
    state.bytes = finishedBytes + [...sent.values()].reduce((a, b) => a + b, 0);
    state.elapsedMs = now() - started;
    draw(progressLine(state, colors));
  };
  const timer = setInterval(render, REDRAW_MS);
  timer.unref?.();
  render();
  return {
    setTotal(files, bytes) {
      state.totalFiles = files;
      state.totalBytes = bytes;
      dirty = true;
    },
    update(index, progress) {
      if (progress.phase === "upload") sent.set(index, progress.bytesSent ?? 0);
      else if (!sent.has(index)) sent.set(index, 0);
      dirty = true;
    },
    finished(index, verdict, bytes) {
      sent.delete(index);
      state.done++;
      finishedBytes += bytes;
      if (verdict !== "clean") state.flagged++;
      dirty = true;
    },
    close() {
      clearInterval(timer);
      dirty = true;
      render();
      draw.clear();
      draw.done();
    },
  };
}
