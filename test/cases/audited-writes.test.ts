/**
 * An edit of a case, a document added or removed: each writes the case and then its audit entry, under a run stored
 * before the write (cases/audited-writes.ts). A crash between the two (kill -9 of the service) leaves the run, and the
 * service's round writes the audit entry once; a write that never came is fenced off and owes nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { AuditEntry } from '../../src/audit/index.js';
import { Case } from '../../src/cases/cases.model.js';
import { beginAuditedWrite, finishInterruptedSteps, unfenced } from '../../src/cases/index.js';
import { casesRepository } from '../../src/cases/cases.repository.js';
import { StepRun } from '../../src/cases/step-runs.js';
import { createLogger } from '../../src/core/logger.js';
import { arrange } from '../support/api.js';
import { caseWorld, newCase, upload, type CaseView, type CaseWorld } from './case-fixtures.js';
import { killServiceProcesses, sendAndKill } from '../jobs/service-process.js';

/** Waits until the runs are older than the `olderThanMs` of the rounds below. */
const OLDER_THAN_MS = 1_000;
const logger = createLogger('silent');
const actor = { userId: new Types.ObjectId().toHexString(), name: 'Cán bộ thử', requestId: 'test' };

/** A draft's history entry of a write under a run, as the service writes it. */
const entryOf = (action: string, note: string, run: string) => ({
  action,
  from: 'draft',
  to: 'draft',
  by: { id: actor.userId, name: actor.name },
  at: new Date(),
  note,
  run,
});
const auditsOf = (caseId: string, action: string) =>
  AuditEntry.find({ entity: 'case', entityId: caseId, action }).lean();
const runsOf = (caseId: string) => StepRun.find({ caseId: new Types.ObjectId(caseId) }).lean();

describe('cases: an edit and a document change owe their audit entry from before the write', function () {
  this.timeout(120_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });
  afterEach(killServiceProcesses);

  it('when a case is edited, and a document added and removed, then each has one audit entry, its history entry carries its run, and no run is left', async () => {
    const { view } = await newCase(world);
    const edited = await arrange<CaseView>(
      world.sessions.officer.patch(`/api/v1/cases/${view.id}`, {
        revision: view.revision,
        situation: 'Gia đình khó khăn',
      }),
      200,
    );
    expect(edited.revision).to.equal(view.revision + 1);
    await upload(world.sessions.officer, view.id, 'other');
    const stored = (await Case.findById(view.id).lean())!;
    const document = stored.documents[0]!;
    const removed = await world.sessions.officer.delete(`/api/v1/cases/${view.id}/documents/${document.id}`);
    expect(removed.status, JSON.stringify(removed.body)).to.equal(204);

    const after = (await Case.findById(view.id).lean())!;
    const writes = after.history.filter((h) => ['update', 'document_add', 'document_remove'].includes(h.action));
    expect(writes.map((h) => h.action)).to.deep.equal(['update', 'document_add', 'document_remove']);
    expect(new Set(writes.map((h) => h.run)).size, 'a run of its own each').to.equal(3);
    expect(writes.every((h) => typeof h.run === 'string' && /^[0-9a-f]{24}$/.test(h.run))).to.equal(true);
    for (const action of ['case.create', 'case.update', 'case.document_add', 'case.document_remove'])
      expect(await auditsOf(view.id, action), action).to.have.length(1);
    expect(await runsOf(view.id)).to.deep.equal([]);
    // The answer shows no run: it is the service's own.
    const shown = await arrange<CaseView & { history: Record<string, unknown>[] }>(
      world.sessions.officer.get(`/api/v1/cases/${view.id}`),
      200,
    );
    expect(shown.history.some((h) => 'run' in h)).to.equal(false);
  });

  it("when the service is killed between an edit's write and its audit entry, then the round writes that entry once, by the editor, and a second round nothing", async () => {
    const { view } = await newCase(world);
    const edited = async () =>
      ((await Case.findById(view.id).lean())?.history ?? []).some((h) => h.action === 'update');
    await sendAndKill(
      world.sessions.officer,
      `/api/v1/cases/${view.id}`,
      { revision: view.revision, requestedAmount: 900_000 },
      edited,
      {},
      'PATCH',
    );
    const record = (await Case.findById(view.id).lean())!;
    expect(record.requestedAmount).to.equal(900_000);
    const entry = record.history.find((h) => h.action === 'update')!;
    expect(await auditsOf(view.id, 'case.update'), 'no entry yet: the service died first').to.have.length(0);
    expect((await runsOf(view.id)).map((r) => r._id)).to.deep.equal([entry.run]);

    await sleep(OLDER_THAN_MS + 100);
    const round = await finishInterruptedSteps(OLDER_THAN_MS, logger);
    expect(round.followed).to.be.at.least(1);
    const entries = await auditsOf(view.id, 'case.update');
    expect(entries).to.have.length(1);
    expect(entries[0]!.details).to.deep.equal({ fields: ['requestedAmount'] });
    // Its author is the officer who sent the edit, as the case's history names them.
    expect(entries[0]).to.include({ actorId: entry.by!.id, actorName: entry.by!.name });
    expect(await runsOf(view.id)).to.deep.equal([]);

    await finishInterruptedSteps(0, logger);
    expect(await auditsOf(view.id, 'case.update')).to.have.length(1);
  });

  it("when an edit's run is left with its write made, then the round writes its audit entry once; left with its write never made, the case is fenced off against it and owes nothing", async () => {
    const { view } = await newCase(world);
    // Made: the request's write went through, its audit entry did not.
    const made = await beginAuditedWrite(view.id, 'update', actor, {
      action: 'case.update',
      entity: 'case',
      entityId: view.id,
      orgPath: view.orgPath,
      details: { fields: ['situation'] },
    });
    const took = await casesRepository.guardedUpdate(
      view.id,
      { revision: view.revision, status: 'draft' },
      {
        $set: { situation: 'Đã sửa' },
        $push: {
          history: entryOf('update', 'Sửa: situation', made._id),
        },
      },
      unfenced(made),
    );
    expect(took).to.equal(true);
    // Never made: a document change whose request died before its write (or stalled on its way).
    const never = await beginAuditedWrite(view.id, 'document_add', actor, {
      action: 'case.document_add',
      entity: 'case',
      entityId: view.id,
      orgPath: view.orgPath,
      details: { documentId: 'never' },
    });
    const before = (await Case.findById(view.id).lean())!;

    await sleep(OLDER_THAN_MS + 100);
    const round = await finishInterruptedSteps(OLDER_THAN_MS, logger);
    expect(round).to.deep.include({ followed: 1, undone: 1 });
    const updates = await auditsOf(view.id, 'case.update');
    expect(updates).to.have.length(1);
    expect(updates[0]).to.include({ actorId: actor.userId, actorName: actor.name });
    expect(await auditsOf(view.id, 'case.document_add')).to.have.length(0);
    expect(await runsOf(view.id)).to.deep.equal([]);

    const fenced = (await Case.findById(view.id).lean())!;
    expect(fenced.revision, 'a new revision').to.equal(before.revision + 1);
    expect((fenced.fencedEntries ?? []).map(String)).to.include(never._id);
    // The write, arriving now (an upload sent without a revision), no longer takes.
    const late = await casesRepository.changeDocuments(
      view.id,
      ['draft'],
      undefined,
      {
        $push: {
          history: entryOf('document_add', 'late', never._id),
        },
      },
      unfenced(never),
    );
    expect(late).to.equal(false);
    expect((await Case.findById(view.id).lean())!.history.some((h) => h.run === never._id)).to.equal(false);

    await finishInterruptedSteps(0, logger);
    expect(await auditsOf(view.id, 'case.update')).to.have.length(1);
  });
});
