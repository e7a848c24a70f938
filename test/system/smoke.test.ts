import { expect } from 'chai';
import { api, arrange } from '../support/api.js';
import { createProvinceTree, memberBody } from '../support/factory.js';

describe('smoke', () => {
  it('when a province is set up, then an officer can add a member and list it masked', async () => {
    const tree = await createProvinceTree();
    const member = await arrange<{ id: string; citizenId: string }>(
      tree.sessions.officer.post('/api/v1/members', memberBody(tree.grassroots.id)),
    );
    const list = await tree.sessions.officer.get('/api/v1/members?q=nguyen van an');
    expect(list.status).to.equal(200);
    expect(list.body.items.map((m: { id: string }) => m.id)).to.include(member.id);
    expect(list.body.items[0].citizenId).to.match(/^\*{8}\d{4}$/);
    const health = await api().get('/readyz');
    expect(health.status).to.equal(200);
  });
});
