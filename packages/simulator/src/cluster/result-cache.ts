/**
 * The JSON text of finished analysis results, kept so that every later poll
 * of a finished file (and every hash lookup that finds it) answers the same
 * text without building and serialising it again. Nothing in a finished
 * result changes while the clock moves forward, and a cancellation only
 * reaches unfinished files; a result is nevertheless reused only while the
 * file is finished at the time asked about (a clock moved back is honoured)
 * and no cancellation happened since it was made. The text is a string, so
 * nothing that reads the result can change what the next poll receives.
 * The most recent `limit` results are kept.
 */
import type { FileNode } from "./file-node.js";
import { analysisResult, type Page } from "./file-result.js";
import { stateAt } from "./file-state.js";
import type { FileStore } from "./file-store.js";

interface Entry {
  first: number;
  size: number;
  cancellations: number;
  json: string;
}

/** Finished results by file, as JSON text. */
export class ResultCache {
  private readonly entries = new Map<FileNode, Entry>();

  /** `limit`: results kept, the most recent first to stay (default 1,024). */
  constructor(
    private readonly files: FileStore,
    private readonly epoch: number,
    private readonly limit = 1024,
  ) {}

  /** The JSON of {@link analysisResult} for `node` at `now` with `page`. */
  json(node: FileNode, now: number, page: Page): string {
    if (!stateAt(node, now).finished) {
      return JSON.stringify(analysisResult(node, now, page, this.epoch));
    }
    const { cancellations } = this.files;
    const kept = this.entries.get(node);
    if (
      kept?.first === page.first &&
      kept.size === page.size &&
      kept.cancellations === cancellations
    ) {
      return kept.json;
    }
    const json = JSON.stringify(analysisResult(node, now, page, this.epoch));
    this.entries.delete(node);
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(node, { first: page.first, size: page.size, cancellations, json });
    return json;
  }
}
