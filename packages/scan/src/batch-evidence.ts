import type { AnalysisResult } from "@mdkit/cluster";
import { processResultOf } from "./contradictions.js";
import { isPlainId } from "./internal/ids.js";
import { SCAN_RESULT_NAMES, type Verdict, verdictOf, worstVerdict } from "./verdict.js";

/** One file of a finished batch, as its signed result states it. */
export interface BatchFileResult {
  /** The submission id (`undefined` only for an entry of the signed result without a usable one). */
  dataId: string | undefined;
  /** The file's name: the signed result's `display_name`, else the name it was sent with. */
  name: string | undefined;
  /** Its verdict in the signed result; `failed` when missing from it or contradicted. */
  verdict: Verdict;
  /** `scan_all_result_i` in the signed result. */
  code: number | undefined;
  /** Readable name of `code`. */
  codeName: string | undefined;
  /** `sha256` in the signed result (hex, lower case). */
  sha256: string | undefined;
  /**
   * Why this file's verdict is not simply its signed code: missing from the
   * signed result, a status that says otherwise, another content hash than
   * the one sent, not submitted by this run. Empty when the evidence agrees.
   */
  contradictions: string[];
}

/** A file put into a batch, as its sender recorded it (see `onSubmitted` of `scanBatch`). */
export interface SubmittedFile {
  /** The `data_id` the gateway answered the upload with. */
  dataId: string;
  /** The name it was sent with. */
  name?: string | undefined;
  /** SHA-256 of what was sent (hex), when known: the signed result must name the same. */
  sha256?: string | undefined;
}

/** What the evidence of a batch adds up to. */
export interface BatchEvidence {
  verdict: Verdict;
  files: BatchFileResult[];
  contradictions: string[];
}

type Entry = Record<string, unknown>;

const isObject = (value: unknown): value is Entry =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The verdict of a summary (a batch, or one of its files): its code, texts and `process_info`. */
function summaryVerdict(id: string, summary: Entry, scanResults: unknown = summary): Verdict {
  const scan = isObject(scanResults) ? scanResults : {};
  return verdictOf({
    data_id: id,
    scan_results: {
      scan_all_result_i: scan.scan_all_result_i,
      ...(scan.scan_all_result_a === undefined
        ? {}
        : { scan_all_result_a: scan.scan_all_result_a }),
    },
    process_info: summary.process_info,
  } as AnalysisResult);
}

/** The entries of a `batch_files.files_in_batch`, by `data_id`, with the problems met reading them. */
function entriesById(files: unknown, where: string, problems: string[]): Map<string, Entry> {
  const byId = new Map<string, Entry>();
  const list = isObject(files) ? files.files_in_batch : undefined;
  if (!Array.isArray(list)) {
    problems.push(`${where} lists no files`);
    return byId;
  }
  for (const entry of list) {
    const id = isObject(entry) ? entry.data_id : undefined;
    if (!isObject(entry) || !isPlainId(id))
      problems.push(`${where} lists a file without a usable data_id`);
    else if (byId.has(id)) problems.push(`${where} lists ${id} twice`);
    else byId.set(id, entry);
  }
  return byId;
}

const codeOf = (entry: Entry | undefined) =>
  typeof entry?.scan_all_result_i === "number" ? entry.scan_all_result_i : undefined;

/** Where the status JSON and the signed result disagree about one file. */
function disagreements(signed: Entry, status: Entry | undefined): string[] {
  if (!status) return ["the batch status does not list it"];
  const out: string[] = [];
  if (codeOf(signed) !== codeOf(status))
    out.push(`the batch status says code ${codeOf(status)}, the signed result ${codeOf(signed)}`);
  if (processResultOf(signed as AnalysisResult) !== processResultOf(status as AnalysisResult))
    out.push("the batch status and the signed result disagree on process_info.result");
  return out;
}

/** A failed verdict stays; a clean one under contradiction becomes `failed`. */
const settled = (verdict: Verdict, contradictions: string[]): Verdict =>
  verdict === "clean" && contradictions.length > 0 ? "failed" : verdict;

function fileResult(
  dataId: string,
  signed: Entry,
  status: Entry | undefined,
  submitted: SubmittedFile | undefined,
  sentKnown: boolean,
): BatchFileResult {
  const code = codeOf(signed);
  const sha256 = typeof signed.sha256 === "string" ? signed.sha256.toLowerCase() : undefined;
  const contradictions = disagreements(signed, status);
  if (!submitted) {
    if (sentKnown) contradictions.push("this run did not submit it");
  } else if (submitted.sha256 && sha256 !== submitted.sha256.toLowerCase())
    contradictions.push(
      sha256
        ? "the signed result names another sha256 than the content sent"
        : "the signed result names no sha256",
    );
  return {
    dataId,
    name: typeof signed.display_name === "string" ? signed.display_name : submitted?.name,
    verdict: settled(summaryVerdict(dataId, signed), contradictions),
    code,
    codeName: code === undefined ? undefined : SCAN_RESULT_NAMES[code],
    sha256,
    contradictions,
  };
}

/**
 * The verdict of a batch from its evidence: the signed result decides, file
 * by file and overall; every file this run submitted must be in it (a missing
 * one is a `failed` row), and the unsigned status must agree with it (file
 * list, codes, `process_info.result`). Any disagreement is listed in
 * `contradictions` and keeps the batch from being clean: a batch whose worst
 * signed verdict is clean but whose evidence disagrees is `failed`.
 *
 * `submitted` is `undefined` when what was sent is not known (a batch picked
 * up by id): the signed file list is then taken as it is.
 */
export function batchEvidence(
  batchId: string,
  submitted: readonly SubmittedFile[] | undefined,
  status: { summary: Entry; entries: unknown[] },
  signed: Entry,
): BatchEvidence {
  const contradictions: string[] = [];
  if (signed.batch_id !== batchId) contradictions.push("the signed result is for another batch");
  const signedFiles = entriesById(signed.batch_files, "the signed result", contradictions);
  const statusFiles = entriesById(
    { files_in_batch: status.entries },
    "the batch status",
    contradictions,
  );
  const files: BatchFileResult[] = [];
  const sentKnown = submitted !== undefined;
  for (const sent of submitted ?? []) {
    const entry = signedFiles.get(sent.dataId);
    if (entry) {
      files.push(fileResult(sent.dataId, entry, statusFiles.get(sent.dataId), sent, sentKnown));
      continue;
    }
    files.push({
      dataId: sent.dataId,
      name: sent.name,
      verdict: "failed",
      code: undefined,
      codeName: undefined,
      sha256: sent.sha256?.toLowerCase(),
      contradictions: ["the signed batch result does not list this file"],
    });
  }
  const sentIds = new Set((submitted ?? []).map((file) => file.dataId));
  for (const [dataId, entry] of signedFiles) {
    if (!sentIds.has(dataId))
      files.push(fileResult(dataId, entry, statusFiles.get(dataId), undefined, sentKnown));
  }
  for (const dataId of statusFiles.keys()) {
    if (!signedFiles.has(dataId))
      contradictions.push(`the batch status lists ${dataId}, the signed result does not`);
  }
  const count = isObject(signed.batch_files) ? signed.batch_files.batch_count : undefined;
  if (count !== signedFiles.size)
    contradictions.push("the signed batch_count is not the number of files it lists");
  const overall = summaryVerdict(batchId, signed, signed.scan_results);
  const statusOverall = summaryVerdict(batchId, status.summary, status.summary.scan_results);
  if (overall !== statusOverall)
    contradictions.push(`the batch status says ${statusOverall}, the signed result ${overall}`);
  const worst = worstVerdict([overall, ...files.map((file) => file.verdict)]);
  if (worst !== overall)
    contradictions.push(
      `the signed result says ${overall} overall, but one of its files is ${worst}`,
    );
  const disputed =
    contradictions.length > 0 || files.some((file) => file.contradictions.length > 0);
  return { verdict: worst === "clean" && disputed ? "failed" : worst, files, contradictions };
}
