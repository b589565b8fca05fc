import type { QueueStatus } from "@mdkit/queue";

const list = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([key, n]) => `${key} ${n}`)
    .join(", ") || "none";

/** `mdkit queue status` for a terminal: a few lines of counts. */
export function statusText(name: string, status: QueueStatus): string {
  const { jobs, budget } = status;
  const pending = jobs.waiting + jobs.prioritized + jobs.delayed;
  return [
    `queue ${name}`,
    `  jobs       ${pending} waiting, ${jobs.active} running, ${jobs.completed} completed, ${jobs.failed} failed`,
    `  results    ${status.results} (${list(status.verdicts)})`,
    `  producers  ${list(status.producers)}`,
    budget
      ? `  budget     ${budget.inUse} of ${budget.limit} gateway slots in use${budget.ceiling === null ? "" : `, capacity learned ${budget.ceiling}`}`
      : "  budget     not used yet",
    "",
  ].join("\n");
}
