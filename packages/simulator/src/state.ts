/**
 * Counters a test or benchmark reads to assert politeness: how many requests
 * each operation received, how often the same content was uploaded, how many
 * bytes arrived and how many requests were in flight at the peak.
 */
export class SimulatorState {
  /** Requests received, by operationId (faulted requests included). */
  readonly requests = new Map<string, number>();
  /** Completed uploads (`POST /file`), by SHA-256 of the content. */
  readonly uploadsByHash = new Map<string, number>();
  /** Request body bytes received by upload operations. */
  bytesReceived = 0;
  /** Requests being handled right now. */
  inFlight = 0;
  /** The highest `inFlight` seen. */
  peakInFlight = 0;
  /** Responses sent, by HTTP status. */
  readonly responsesByStatus = new Map<number, number>();
  /**
   * The most requests one Central Management client sent within one window
   * of the simulated rate limit, refused ones included (0 with the limit off):
   * a client that keeps to the limit never brings it above the limit.
   */
  peakRequestsPerRateWindow = 0;

  /** Number of requests one operation received. */
  requestCount(operationId: string): number {
    return this.requests.get(operationId) ?? 0;
  }

  /** Total uploads whose content was seen more than once (a client that re-uploaded). */
  duplicateUploads(): number {
    let n = 0;
    for (const count of this.uploadsByHash.values()) if (count > 1) n += count - 1;
    return n;
  }

  /** Zeroes every counter (state of files, sessions and reports is kept). */
  reset(): void {
    this.requests.clear();
    this.uploadsByHash.clear();
    this.responsesByStatus.clear();
    this.bytesReceived = 0;
    this.peakInFlight = this.inFlight;
    this.peakRequestsPerRateWindow = 0;
  }

  /** A plain-object copy, for logging or JSON. */
  snapshot() {
    return {
      requests: Object.fromEntries(this.requests),
      uploadsByHash: Object.fromEntries(this.uploadsByHash),
      bytesReceived: this.bytesReceived,
      inFlight: this.inFlight,
      peakInFlight: this.peakInFlight,
      peakRequestsPerRateWindow: this.peakRequestsPerRateWindow,
      responsesByStatus: Object.fromEntries(this.responsesByStatus),
    };
  }
}
