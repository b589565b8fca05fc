/** The implementation of {@link ClusterControl} over one gateway's state. */
import { type Batch, batchStateAt } from "./batch-store.js";
import type { ClusterBatchInfo, ClusterControl, ClusterFileInfo } from "./control.js";
import { type FileNode, submissionOf } from "./file-node.js";
import { stateAt } from "./file-state.js";
import type { Gateway } from "./gateway.js";

function fileInfo(node: FileNode, now: number): ClusterFileInfo {
  const submission = submissionOf(node);
  return {
    dataId: node.dataId,
    parentId: node.parent?.dataId,
    displayName: node.name,
    size: node.size,
    md5: node.md5,
    sha1: node.sha1,
    sha256: node.sha256,
    rule: submission.rule.name,
    userAgent: submission.userAgent,
    username: submission.username,
    batchId: submission.batchId,
    metadata: submission.metadata,
    archivePassword: submission.archivePassword,
    callbackUrl: submission.callbackUrl,
    state: stateAt(node, now),
    childCount: node.children?.length ?? 0,
    sanitizedPath: node.parent ? undefined : submission.sanitizedPath,
  };
}

function batchInfo(batch: Batch, now: number): ClusterBatchInfo {
  return {
    batchId: batch.id,
    rule: batch.rule.name,
    userData: batch.userData,
    closed: batch.closed,
    cancelled: batch.cancelledAt !== undefined,
    dataIds: batch.files.map((file) => file.dataId),
    state: batchStateAt(batch, now),
  };
}

/** The control of one gateway. */
export function createControl(gateway: Gateway): ClusterControl {
  const { ctx } = gateway;
  return {
    expireSessions: () => gateway.sessions.clear(),
    get sessionCount() {
      return gateway.sessions.size;
    },
    file(dataId) {
      const node = gateway.files.get(dataId);
      return node ? fileInfo(node, ctx.now()) : undefined;
    },
    batch(batchId) {
      const batch = gateway.batches.get(batchId);
      return batch ? batchInfo(batch, ctx.now()) : undefined;
    },
    get batches() {
      return [...gateway.batches.values()].map((batch) => batchInfo(batch, ctx.now()));
    },
    get callbacks() {
      return gateway.callbacks;
    },
    signingCertificate: async () => (await gateway.signer.load()).certificatePem,
    async signingFingerprints() {
      const { fingerprint, fingerprint256 } = await gateway.signer.load();
      return { sha1: fingerprint, sha256: fingerprint256 };
    },
  };
}
