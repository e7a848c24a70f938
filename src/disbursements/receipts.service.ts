import { recordAudit } from '../audit/index.js';
import { NotFoundError } from '../core/errors.js';
import type { Actor, Principal } from '../core/scope.js';
import { keepUploadedFile, type DocumentStore, type UploadedFile } from '../documents/index.js';
import { disbursementsRepository, type Receipt } from './disbursements.repository.js';
import { getDisbursementInScope } from './disbursements.service.js';

/**
 * The receipt of a payment (biên nhận, ủy nhiệm chi, chứng từ ngân hàng): the same formats, byte sniffing
 * and store as a case's papers (SPEC §9). Receipts are only added, never replaced or removed: a payment's
 * evidence stays with it, also after a reversal.
 */
export async function addReceipt(
  store: DocumentStore,
  principal: Principal,
  actor: Actor,
  id: string,
  file: UploadedFile | undefined,
) {
  const entry = await getDisbursementInScope(principal, id);
  const receipt: Receipt = await keepUploadedFile(store, file, actor);
  const { storedName, sha256 } = receipt;
  if (!(await disbursementsRepository.addReceipt(id, receipt))) {
    await store.remove(store.pathOf(storedName));
    throw new NotFoundError('khoản chi');
  }
  await recordAudit({
    action: 'disbursement.receipt_add',
    entity: 'disbursement',
    entityId: id,
    actor,
    orgPath: entry.orgPath,
    details: { receiptId: receipt.id, sha256, size: receipt.size },
  });
  const { storedName: _hidden, ...visible } = receipt;
  return visible;
}

export async function findReceipt(principal: Principal, id: string, receiptId: string): Promise<Receipt> {
  const entry = await getDisbursementInScope(principal, id);
  const receipt = entry.receipts.find((r) => r.id === receiptId);
  if (!receipt) throw new NotFoundError('chứng từ');
  return receipt;
}
