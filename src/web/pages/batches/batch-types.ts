export type {
  ActionAnswer,
  BatchActionRecord,
  BatchCase,
  BatchDetail,
  BatchSummary,
  CaseOutcome,
  ImportAnswer,
  RejectedRow,
} from '../../api/types';
