import type { Db } from 'mongodb';
import { newVerifyToken } from '../verify-token.js';

/**
 * Gives every decision issued before verify tokens existed a token of its own, and marks it `legacyVerify`:
 * its paper prints the id link `/api/v1/decisions/:id/verify` and cannot be reprinted, so that link keeps
 * answering the public for these decisions only. Idempotent: a decision that has a token is left alone, and
 * each write is conditioned on the token still missing, so two runs at once give one token per decision.
 */
export const migration = {
  id: '2026-12-04-decision-verify-tokens',
  description:
    'Mã xác thực ngẫu nhiên cho các quyết định đã ban hành; đánh dấu các quyết định in đường dẫn theo mã định danh',
  async up(db: Db): Promise<void> {
    const decisions = db.collection('decisions');
    const cursor = decisions.find({ verifyToken: { $exists: false } }, { projection: { _id: 1 } });
    for await (const { _id } of cursor) {
      await decisions.updateOne(
        { _id, verifyToken: { $exists: false } },
        { $set: { verifyToken: newVerifyToken(), legacyVerify: true } },
      );
    }
  },
};

export default migration;
