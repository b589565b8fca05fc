import { resetHostileResults } from "@mdkit/testing/hostile";

/** Each run of the hostile suite starts with an empty results file, which `.ci/hostile-summary.mjs` reads. */
export default function setup(): void {
  resetHostileResults();
}
