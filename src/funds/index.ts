export { fundRoutes } from './funds.routes.js';
export { createFund, getFundInScope, listFunds } from './funds.service.js';
export { fundsRepository, fundJSON, singleMarkId, type FundRecord } from './funds.repository.js';
export {
  chunkCommitments,
  commitFunds,
  dropFundMarks,
  dropPaymentMarks,
  singleMarksBefore,
  enterCommitment,
  giveBackCommitment,
  releaseFunds,
  moveDisbursedAtOnce,
  type FundCommitment,
  type StoredAllocation,
} from './commitments.js';
export { fundAllocationsSchema } from './funds.schemas.js';
export { FUND_KINDS, type FundKind } from './funds.model.js';
