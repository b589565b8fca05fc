/**
 * The records the simulated gateway keeps per analysed file. One
 * {@link Submission} per upload holds what every file of the upload shares
 * (rule, user, timing); one {@link FileNode} per file, the upload itself and
 * each file extracted from it, holds only what differs, so an archive of
 * 10,000 files costs 10,000 small objects.
 */
import type { SimulatedRule } from "../options.js";

/** A detected file type (`file_info.file_type*`). */
export interface FileType {
  mime: string;
  description: string;
  id: string;
}

/** What one upload (`POST /file`) shares with every file extracted from it. */
export interface Submission {
  rule: SimulatedRule;
  userAgent: string;
  username: string;
  batchId: string | undefined;
  /** The `metadata` header, parsed. */
  metadata: Record<string, unknown> | undefined;
  /** Whether an `archivepwd` header came with the upload (its value is not kept). */
  archivePassword: boolean;
  callbackUrl: string | undefined;
  /** When the upload completed and processing started (ms). */
  startedAt: number;
  /** Simulated processing time of the whole upload (ms). */
  durationMs: number;
  /** The uploaded file. */
  root: FileNode;
  /** The sanitized copy on disk, for sanitizing rules. */
  sanitizedPath: string | undefined;
}

/** One analysed file: an upload, or a file extracted from an archive. */
export interface FileNode {
  dataId: string;
  /** `display_name`: the upload's file name, or the path inside its archive. */
  name: string;
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  type: FileType;
  /** Verdict of the content alone (EICAR, marker, encrypted entry). */
  ownCode: number;
  /** Final verdict: the worse of `ownCode` and every child's verdict. */
  code: number;
  /** Set once the node is attached to its upload. */
  submission: Submission | undefined;
  parent: FileNode | undefined;
  /** Position among the parent's children (0 for an upload). */
  index: number;
  /** Extracted files, for archives. */
  children: FileNode[] | undefined;
  /** The child with the worst verdict. */
  worst: FileNode | undefined;
  /** When this file (and its subtree) was cancelled. */
  cancelledAt: number | undefined;
  /** Whether some file below was cancelled (its verdict must be recomputed). */
  cancelledBelow: boolean;
}

/** A fresh node with its identity; the scanner fills in the rest. */
export function createNode(
  dataId: string,
  name: string,
  parent: FileNode | undefined,
  index: number,
): FileNode {
  return {
    dataId,
    name,
    size: 0,
    md5: "",
    sha1: "",
    sha256: "",
    type: BINARY,
    ownCode: 0,
    code: 0,
    submission: undefined,
    parent,
    index,
    children: undefined,
    worst: undefined,
    cancelledAt: undefined,
    cancelledBelow: false,
  };
}

/** The upload a node belongs to (set for every stored node). */
export function submissionOf(node: FileNode): Submission {
  let top: FileNode = node;
  while (top.parent) top = top.parent;
  if (!top.submission) throw new Error(`file ${node.dataId} has no submission`);
  return top.submission;
}

/** Fallback type of unrecognised content. */
export const BINARY: FileType = {
  mime: "application/octet-stream",
  description: "Binary data",
  id: "BIN",
};
