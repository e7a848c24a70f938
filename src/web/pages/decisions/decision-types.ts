export type { DecisionDetail, DecisionSummary } from '../../api/types';
