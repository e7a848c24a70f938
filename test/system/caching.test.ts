/**
 * API answers are never cached by a browser: they depend on who asks (allowedActions, the full CCCD of a
 * snapshot, scope), while a case's ETag is only its revision. Found by the browser suite: a second user of the
 * same browser was shown the first user's case page from the cache.
 */
import { expect } from 'chai';
import { api } from '../support/api.js';
import { caseAt, caseWorld, type CaseWorld } from '../cases/case-fixtures.js';

describe('system: API answers are not cached', function () {
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });

  it('when a case, a list, the user and a refused request are read, then each answer says private, no-store', async () => {
    const view = await caseAt(world, 'submitted');
    const paths = [`/api/v1/cases/${view.id}`, '/api/v1/members?limit=5', '/api/v1/auth/me', '/api/v1/cases'];
    const answers = await Promise.all([
      world.sessions.verifier.get(paths[0]!),
      world.sessions.officer.get(paths[1]!),
      world.sessions.officer.get(paths[2]!),
      api().get(paths[3]!),
    ]);
    expect(answers.map((res) => res.status)).to.deep.equal([200, 200, 200, 401]);
    answers.forEach((res, i) => expect(res.headers['cache-control'], paths[i]).to.equal('private, no-store'));
  });

  it("when another user asks for the same case with the first user's ETag, then they get the whole answer with their own actions, not a 304", async () => {
    const view = await caseAt(world, 'submitted');
    const first = await world.sessions.verifier.get(`/api/v1/cases/${view.id}`);
    expect(first.body.allowedActions).to.include('verify');
    const second = await world.sessions.officer
      .get(`/api/v1/cases/${view.id}`)
      .set('If-None-Match', String(first.headers.etag));
    expect(second.status).to.equal(200);
    expect(second.body.allowedActions).to.include('withdraw');
    expect(second.body.allowedActions).to.not.include('verify');
  });
});
