/** The date line of Nghị định 30/2020 that decisions and reports print (src/core/shared/dates.ts). */
import { expect } from 'chai';
import { vnDocumentDate } from '../../src/core/shared/dates.js';

describe('core: document dates', () => {
  it('when a decision date is written, then days below 10 and January, February take a leading zero', () => {
    expect(vnDocumentDate('2026-08-09')).to.equal('ngày 09 tháng 8 năm 2026');
    expect(vnDocumentDate('2026-01-05')).to.equal('ngày 05 tháng 01 năm 2026');
    expect(vnDocumentDate('2026-02-28')).to.equal('ngày 28 tháng 02 năm 2026');
    expect(vnDocumentDate('2026-03-01')).to.equal('ngày 01 tháng 3 năm 2026');
    expect(vnDocumentDate('2026-12-31')).to.equal('ngày 31 tháng 12 năm 2026');
  });
});
