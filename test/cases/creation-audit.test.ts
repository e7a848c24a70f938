/**
 * A case's creation inserts the case, flagged as owing its audit entry, and then writes that entry under an id made of
 * the case (cases/creation-audit.ts). A crash between the two (kill -9 of the service) leaves the flag, and the
 * service's round writes the entry once, by the officer who created the case, and drops the flag.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import { AuditEntry, chunkEntryId, verifyChain } from '../../src/audit/index.js';
import { Case } from '../../src/cases/cases.model.js';
import { creationAuditDueMigration, finishInterruptedSteps } from '../../src/cases/index.js';
import { auditOwedCreations } from '../../src/cases/creation-audit.js';
import { OWING_CREATION_AUDIT } from '../../src/cases/cases.repository.js';
import { createLogger } from '../../src/core/logger.js';
import { arrange } from '../support/api.js';
import { caseBody, caseWorld, createMember, newCase, type CaseWorld } from './case-fixtures.js';
import { killServiceProcesses, sendAndKill, sendAndStall } from '../jobs/service-process.js';

/** The rounds below take the cases created longer ago than this. */
const OLDER_THAN_MS = 1_000;
const logger = createLogger('silent');

const creationsOf = (caseId: string) =>
  AuditEntry.find({ entity: 'case', entityId: caseId, action: 'case.create' }).lean();
const caseOf = async (memberId: string) =>
  Case.findOne({ memberId: new Types.ObjectId(memberId) }, { code: 1, creationAuditDue: 1, createdBy: 1 }).lean();

describe('cases: a creation owes its audit entry until the round has seen it', function () {
  this.timeout(120_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });
  afterEach(killServiceProcesses);

  it('when a case is created, then its one audit entry is named by the case, the case owes it until a round has seen it, and the answer shows no flag', async () => {
    const { member, view } = await newCase(world);
    expect(view).to.not.have.property('creationAuditDue');
    const listed = await arrange<{ items: Record<string, unknown>[] }>(
      world.sessions.officer.get('/api/v1/cases?limit=100'),
      200,
    );
    const shown = listed.items.find((c) => c.id === view.id);
    expect(shown).to.not.equal(undefined);
    expect(shown).to.not.have.property('creationAuditDue');
    expect((await caseOf(member.id))?.creationAuditDue).to.equal(view.id);
    const entries = await creationsOf(view.id);
    expect(entries.map((e) => String(e._id))).to.deep.equal([
      String(chunkEntryId(view.id, { action: 'case.create', entity: 'case', entityId: view.id })),
    ]);
    expect(entries[0]!.details).to.deep.equal({ code: view.code });

    await sleep(OLDER_THAN_MS + 100);
    await finishInterruptedSteps(OLDER_THAN_MS, logger);
    const stored = await caseOf(member.id);
    expect(stored).to.not.equal(null);
    expect(stored).to.not.have.property('creationAuditDue');
    expect(await creationsOf(view.id), 'the round wrote no second entry').to.have.length(1);
  });

  it('when the service is killed between the insert and the audit entry, then three rounds at once write that entry once, by the officer, and drop the flag', async () => {
    const member = await createMember(world.sessions.officer, world.grassroots.id);
    await sendAndKill(world.sessions.officer, '/api/v1/cases', caseBody(world, 'tet_gift', member.id), async () =>
      Boolean(await caseOf(member.id)),
    );
    const record = (await caseOf(member.id))!;
    const caseId = String(record._id);
    expect(record.creationAuditDue).to.equal(caseId);
    expect(await creationsOf(caseId), 'no entry yet: the service died first').to.have.length(0);

    await sleep(OLDER_THAN_MS + 100);
    const written = await Promise.all([1, 2, 3].map(() => auditOwedCreations(OLDER_THAN_MS)));
    expect(written.reduce((sum, n) => sum + n, 0)).to.be.at.least(1);
    const entries = await creationsOf(caseId);
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({ actorId: record.createdBy!.id, actorName: record.createdBy!.name });
    expect(entries[0]!.details).to.deep.equal({ code: record.code });
    expect(await caseOf(member.id)).to.not.have.property('creationAuditDue');

    await finishInterruptedSteps(0, logger);
    expect(await creationsOf(caseId)).to.have.length(1);
    expect((await verifyChain(mongoose.connection.db!)).ok).to.equal(true);
  });

  it('when the round looks for cases owing their entry, then its query names exactly the keys of a unique sparse index stored on cases (the embedded engine scans every case for any other)', async () => {
    const indexes = await mongoose.connection.db!.collection('cases').indexes();
    const keys = Object.keys(OWING_CREATION_AUDIT);
    const serving = indexes.filter((index) => JSON.stringify(Object.keys(index.key)) === JSON.stringify(keys));
    expect(serving.map((index) => ({ unique: index.unique, sparse: index.sparse }))).to.deep.equal([
      { unique: true, sparse: true },
    ]);
    // A unique index answers a regular expression on its key from its own entries (mongo-java-server's
    // AbstractUniqueIndex); any other operator there is matched against every case.
    expect(OWING_CREATION_AUDIT.creationAuditDue).to.be.instanceOf(RegExp);
    expect(indexes.map((index) => index.name)).to.not.include('creationAuditOwed_1');
  });

  it('when a case was left owing its entry under the former flag (creationAuditOwed under a secondary index), then the migration gives it its due key and drops that index, twice changing nothing more, and the round audits it once', async () => {
    const member = await createMember(world.sessions.officer, world.grassroots.id);
    await sendAndKill(world.sessions.officer, '/api/v1/cases', caseBody(world, 'tet_gift', member.id), async () =>
      Boolean(await caseOf(member.id)),
    );
    const caseId = String((await caseOf(member.id))!._id);
    const db = mongoose.connection.db!;
    const cases = db.collection('cases');
    // The case and the index as the former version left them.
    await cases.updateOne(
      { _id: new Types.ObjectId(caseId) },
      { $set: { creationAuditOwed: true }, $unset: { creationAuditDue: '' } },
    );
    await cases.createIndex({ creationAuditOwed: 1 }, { sparse: true, name: 'creationAuditOwed_1' });
    await sleep(OLDER_THAN_MS + 100);
    expect(await auditOwedCreations(OLDER_THAN_MS), 'the round does not see the former flag').to.equal(0);

    await creationAuditDueMigration.up(db);
    await creationAuditDueMigration.up(db);
    const converted = await cases.findOne({ _id: new Types.ObjectId(caseId) });
    expect(converted).to.include({ creationAuditDue: caseId });
    expect(converted).to.not.have.property('creationAuditOwed');
    expect(await cases.countDocuments({ creationAuditOwed: { $exists: true } })).to.equal(0);
    expect((await cases.indexes()).map((index) => index.name)).to.not.include('creationAuditOwed_1');

    expect(await auditOwedCreations(OLDER_THAN_MS)).to.be.at.least(1);
    expect(await creationsOf(caseId)).to.have.length(1);
    expect(await caseOf(member.id)).to.not.have.property('creationAuditDue');
    expect((await verifyChain(db)).ok).to.equal(true);
  });

  it('when a round writes the entry of a creation that only stalled, then the creation answers 201 when it goes on and the entry stands once', async () => {
    const member = await createMember(world.sessions.officer, world.grassroots.id);
    const answer = await sendAndStall(
      world.sessions.officer,
      '/api/v1/cases',
      caseBody(world, 'tet_gift', member.id),
      async () => Boolean(await caseOf(member.id)),
      async () => {
        await sleep(OLDER_THAN_MS + 100);
        expect(await auditOwedCreations(OLDER_THAN_MS)).to.be.at.least(1);
      },
    );
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    const caseId = (answer.body as { id: string }).id;
    expect(await creationsOf(caseId)).to.have.length(1);
    expect((await verifyChain(mongoose.connection.db!)).ok).to.equal(true);
  });
});
