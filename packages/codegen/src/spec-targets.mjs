/** Which spec each client package is generated from, and ships as `openapi.yaml`. */
export const TARGETS = {
  "central-management": "specs/central-management.yaml",
  cluster: "specs/cluster.yaml",
};
