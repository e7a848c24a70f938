/**
 * The API's shapes as the pages read them, all taken from the OpenAPI document (`schema.gen.ts`, written by
 * `npm run api:types` and checked by `npm run lint`): nothing here is written by hand, so a page cannot drift
 * from what the service answers. Paths are the document's without the `/api/v1` the client adds.
 */
import type { paths } from './schema.gen';

export type ApiPaths = { [K in keyof paths as K extends `/api/v1${infer P}` ? P : never]: paths[K] };
export type ApiPath = keyof ApiPaths;
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The JSON an operation answers on success (200, 201 or 202); `undefined` for 204. */
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;
type SuccessOf<O> = O extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 | 202 | 204 ? JsonOf<R[S]> : never }[keyof R]
  : never;

/** What `method path` answers on success, e.g. `Answer<'/cases/{id}'>`. */
export type Answer<P extends ApiPath, M extends Method = 'get'> = SuccessOf<NonNullable<ApiPaths[P][M]>>;
/** What `method path` answers with one status, e.g. the synchronous 200 of an operation that may also answer 202. */
export type AnswerWith<P extends ApiPath, M extends Method, S extends number> =
  NonNullable<ApiPaths[P][M]> extends { responses: infer R } ? JsonOf<R[S & keyof R]> : never;

/** A path template as the string a call builds: `/cases/{id}` is `/cases/${string}`. */
type Concrete<K> = K extends `${infer A}{${string}}${infer B}` ? `${A}${string}${Concrete<B>}` : K;
type PathsWith<M extends Method> = {
  [K in ApiPath]: [NonNullable<ApiPaths[K][M]>] extends [never] ? never : K;
}[ApiPath];
/** The strings a call may name for `method`. */
export type CallPath<M extends Method> = Concrete<PathsWith<M>>;
type Candidates<M extends Method, P extends string> = {
  [K in PathsWith<M>]: P extends Concrete<K> ? K : never;
}[PathsWith<M>];
/** Of the templates a string fits, the most specific: `/cases/${string}/history` is not `/cases/{id}`. */
type MostSpecific<C extends ApiPath> = {
  [K in C]: [{ [O in Exclude<C, K>]: Concrete<O> extends Concrete<K> ? O : never }[Exclude<C, K>]] extends [never]
    ? K
    : never;
}[C];
/** The template a built path string names. */
export type TemplateOf<M extends Method, P extends string> = MostSpecific<Candidates<M, P>>;
/** What a call to the built path string answers. */
export type AnswerAt<M extends Method, P extends string> = P extends unknown ? Answer<TemplateOf<M, P>, M> : never;
/** The job a POST to the built path string starts (202), its `result` the synchronous answer (200 or 201). */
export type JobAt<P extends string> = P extends unknown
  ? Job<AnswerWith<TemplateOf<'post', P>, 'post', 200 | 201>>
  : never;

/** A page of a list as every list answers it (`{ items, total, page, limit }`), for components that show any list. */
export type Page<T> = Omit<Answer<'/cases'>, 'items'> & { items: T[] };
type Item<P extends ApiPath> = Answer<P> extends { items: (infer I)[] } ? I : never;

export type Person = CaseDocument['uploadedBy'];

export type CaseRecord = Answer<'/cases/{id}'>;
/** A case as lists show it (without the snapshot, details, documents, history and allowed actions). */
export type CaseListItem = Item<'/cases'>;
/** A workflow step the API offers as `POST /cases/{id}/<action>` (the values of `allowedActions`). */
export type CaseAction = CaseRecord['allowedActions'][number];
export type CaseDocument = CaseRecord['documents'][number];
export type HistoryEntry = CaseRecord['history'][number];
export type FundAllocation = CaseRecord['fundAllocations'][number];
export type Tranche = CaseRecord['tranches'][number];

/** A member as lists show it (CCCD and account number masked) or as the single read shows it (full). */
export type Member = Answer<'/members/{id}'>;
export type Org = Answer<'/orgs/{id}'>;
export type UserAccount = Answer<'/users/{id}'>;
export type Me = Answer<'/auth/me'>;
export type LockedAccount = Item<'/admin/locked-accounts'>;
export type Program = Item<'/programs'>;
export type ProgramRules = Answer<'/programs/{code}/rules'>['rules'];
export type Campaign = Answer<'/campaigns/{id}'>;

export type Fund = Answer<'/funds/{id}'>;
export type FundStatement = Answer<'/funds/{id}/statement'>;
export type StatementEntry = FundStatement['entries'][number];
export type FundTotals = FundStatement['opening'];

export type Disbursement = Answer<'/disbursements/{id}'>;
export type Receipt = Disbursement['receipts'][number];
export type CasePayments = Answer<'/cases/{id}/disbursements'>;
export type PlannedTranche = CasePayments['tranches'][number];
export type VietQr = Answer<'/disbursements/{id}/vietqr'>;

export type DecisionSummary = Item<'/decisions'>;
export type DecisionDetail = Answer<'/decisions/{id}'>;

export type SummaryReport = Answer<'/reports/summary'>;
export type SummaryRow = SummaryReport['rows'][number];
export type Figures = SummaryReport['total'];
export type RegisterReport = Answer<'/reports/disbursements'>;
export type RegisterLine = RegisterReport['lines'][number];

export type ReorganisationPreview = Answer<'/orgs/{id}/reorganisation-preview'>;
export type OrgOperation = Answer<'/org-operations/{id}'>;
export type OrgHistoryItem = Answer<'/orgs/{id}/history'>['items'][number];

/** A long piece of work (SPEC §14); its `result`, once done, is the answer of the synchronous call `R`. */
export type Job<R = unknown> = Omit<Answer<'/jobs/{id}'>, 'result'> & { result: R | null };

export type BatchSummary = Item<'/batches'>;
export type BatchDetail = Answer<'/batches/{id}'>;
export type BatchCase = BatchDetail['cases'][number];
export type BatchActionRecord = BatchDetail['actions'][number];
export type RejectedRow = BatchDetail['rejectedRows'][number];
export type ImportAnswer = AnswerWith<'/batches/import', 'post', 201>;
/** POST /batches/{id}/ACTION: what happened to each case, and the decision an approval issued. */
export type ActionAnswer = AnswerWith<'/batches/{id}/approve', 'post', 200>;
export type CaseOutcome = ActionAnswer['results'][number];
export type ListPaymentResult = AnswerWith<'/batches/{id}/pay', 'post', 201>;
