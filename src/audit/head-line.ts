import mongoose from 'mongoose';
import { findHead } from './chain.js';

/**
 * The line printed on the quarter's summary PDF (SPEC §15): the chain's head when the paper was made, so that a
 * later change to the past shows against the paper. Null before the first entry.
 */
export async function auditHeadLine(): Promise<string | null> {
  const db = mongoose.connection.db;
  if (!db) return null;
  const head = await findHead(db);
  return head.seq ? `Nhật ký kiểm toán: đầu chuỗi tại vị trí ${head.seq}, mã băm ${head.hash.slice(0, 16)}` : null;
}
