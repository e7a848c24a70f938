export { jobRoutes } from './jobs.routes.js';
export { JobRunner, newOwnerId, runJob, type RunnerSettings } from './runner.js';
export {
  acceptedResponse,
  answerWithJob,
  asyncNote,
  jobJSON,
  runnerSettings,
  type JobRequest,
} from './jobs.service.js';
export { registerJobKind, runsInHand, type JobContext, type JobKind, type JobProblem } from './job-kinds.js';
export { jobsRepository, type JobRecord } from './jobs.repository.js';
export { isObjectIdText, purgeEndedJobWork, purgeLeftJobResults } from './cleanup.js';
