/**
 * A `callbackurl` the gateway was given, and what became of it. Without the
 * `callbacks` option the simulator only records it.
 */
export interface RecordedCallback {
  /** The upload it belongs to. */
  dataId: string;
  /** The URL as sent. */
  url: string;
  /** When the upload completed (ms). */
  recordedAt: number;
  /**
   * What the simulator did: `recorded` (callbacks off), `pending` (not yet
   * due), `lost` (dropped on purpose), `sent` (every request answered, see
   * `statuses`), `failed` (a request got no answer).
   */
  delivery: "recorded" | "pending" | "lost" | "sent" | "failed";
  /** The URLs called, in order (a wrong-token callback goes elsewhere; a duplicate twice). */
  calledUrls: string[];
  /** The receiver's HTTP status for each request sent (0 when it got no answer). */
  statuses: number[];
  /** Whether the body sent was tampered with (claims clean). */
  tampered: boolean;
}
