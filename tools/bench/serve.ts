/**
 * A server process for the database benchmarks (database.ts starts two of them on the generated database):
 *
 * - `service`: the real service (`startService` from src/server.ts, configured from the environment, so it
 *   connects to MONGODB_URI and starts nothing embedded);
 * - `minimal`: the floor, a bare Express + mongoose app on the same database and the same models:
 *   `GET /cases/:id` is `Case.findById(id).lean()` as JSON, `POST /cases` reads the member and inserts a
 *   draft case (no authentication, validation, rules, numbering, history or audit); the list routes of
 *   minimal-lists.ts.
 *
 * Both listen on a loopback port, print `READY <port>` and stop when their stdin closes (so they cannot outlive
 * the benchmark).
 */
// The whole service first, in the order it loads itself (the features' modules import each other).
import '../../src/app.js';
import express from 'express';
import mongoose from 'mongoose';
import { Case } from '../../src/cases/cases.model.js';
import { loadConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { searchKey } from '../../src/core/search-text.js';
import { Member } from '../../src/members/members.model.js';
import { startService } from '../../src/server.js';
import { minimalListRoutes } from './minimal-lists.js';

const mode = process.argv[2];
const onStdinEnd = (stop: () => Promise<void>) => {
  process.stdin.resume();
  process.stdin.once('end', () => {
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
};

if (mode === 'service') {
  const config = loadConfig();
  const service = await startService(config, createLogger(config.logLevel));
  console.log(`READY ${service.port}`);
  onStdinEnd(() => service.stop('benchmark over'));
} else if (mode === 'minimal') {
  await mongoose.connect(process.env.MONGODB_URI!, { serverSelectionTimeoutMS: 15_000, autoIndex: false });
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.get('/cases/:id', async (req, res) => {
    const found = await Case.findById(req.params.id).lean();
    if (!found) res.status(404).end();
    else res.json(found);
  });
  let created = 0;
  app.post('/cases', async (req, res) => {
    const body = req.body as {
      programCode: string;
      subtype: string;
      memberId: string;
      requestedAmount: number;
      situation?: string;
    };
    const member = await Member.findById(body.memberId).lean();
    if (!member) {
      res.status(404).end();
      return;
    }
    created += 1;
    const by = { id: 'minimal', name: 'minimal' };
    const doc = await Case.create({
      code: `MIN-${process.pid}-${created}`,
      programCode: body.programCode,
      subtype: body.subtype,
      memberId: member._id,
      memberName: member.fullName,
      memberSearchName: searchKey(member.fullName),
      memberCitizenId: member.citizenId,
      orgId: member.orgId,
      orgPath: member.orgPath,
      requestedAmount: body.requestedAmount,
      situation: body.situation ?? '',
      status: 'draft',
      revision: 1,
      history: [{ action: 'create', from: null, to: 'draft', by, at: new Date() }],
      createdBy: by,
      campaignId: null,
    });
    res.status(201).json(doc.toObject());
  });
  minimalListRoutes(app);
  // Stopping disconnects from the engine while reads of the last load run may still wait on it (on the H2 file most):
  // those fail then, and are dropped instead of printed as errors.
  let stopping = false;
  app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!stopping) return next(error);
    res.destroy();
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  console.log(`READY ${typeof address === 'object' && address ? address.port : 0}`);
  onStdinEnd(async () => {
    stopping = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await mongoose.disconnect();
  });
} else {
  console.error('usage: serve.ts service|minimal');
  process.exit(64);
}
