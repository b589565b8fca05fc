/**
 * Runs at most one `task` at a time: callers that arrive while it runs share
 * its promise. This is what turns 1,000 concurrent calls with an expired
 * credential into exactly one token request or login.
 */
export class SingleFlight<T> {
  private running: Promise<T> | undefined;

  /** Whether a task is under way. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Joins the running task, or starts `task` when none runs. */
  run(task: () => Promise<T>): Promise<T> {
    if (!this.running) {
      this.running = task().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }
}
