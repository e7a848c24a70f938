/**
 * The two small pieces of Vietnamese a decision prints besides its template (src/core/money.ts,
 * src/core/shared/dates.ts): the amount in words and the date line of Nghị định 30/2020.
 */
import { expect } from 'chai';
import { vnDocumentDate } from '../../src/core/shared/dates.js';
import { amountInWords, formatVndWithUnit } from '../../src/core/money.js';

describe('decisions: amounts in words and document dates', () => {
  it('when an amount is read, then the words follow the financial usage (linh, nghìn, tỷ), capitalised, ending in "đồng"', () => {
    const expected: [number, string][] = [
      [50_000_000, 'Năm mươi triệu đồng'],
      [1_005_000, 'Một triệu không trăm linh năm nghìn đồng'],
      [20_500_000, 'Hai mươi triệu năm trăm nghìn đồng'],
      [1_000_000_000, 'Một tỷ đồng'],
      [1_000_005, 'Một triệu không trăm linh năm đồng'],
      [2_030_000, 'Hai triệu không trăm ba mươi nghìn đồng'],
      [1_000_001_000, 'Một tỷ không trăm linh một nghìn đồng'],
      [25_000_000, 'Hai mươi lăm triệu đồng'],
      [1_000_000, 'Một triệu đồng'],
      [3_000_000, 'Ba triệu đồng'],
      [10_000_000, 'Mười triệu đồng'],
      [114_000, 'Một trăm mười bốn nghìn đồng'],
      [41_000_000, 'Bốn mươi mốt triệu đồng'],
      [45_000_000, 'Bốn mươi lăm triệu đồng'],
    ];
    for (const [amount, words] of expected) expect(amountInWords(amount), String(amount)).to.equal(words);
  });

  it('when an amount is not a whole number, then reading it is refused rather than rounded', () => {
    expect(() => amountInWords(1.5)).to.throw(RangeError);
  });

  it('when figures are printed, then they are grouped with dots and followed by "đồng"', () => {
    expect(formatVndWithUnit(1_000_000_000)).to.equal('1.000.000.000 đồng');
    expect(formatVndWithUnit(1_005_000)).to.equal('1.005.000 đồng');
  });

  it('when a decision date is written, then days below 10 and January, February take a leading zero', () => {
    expect(vnDocumentDate('2026-08-09')).to.equal('ngày 09 tháng 8 năm 2026');
    expect(vnDocumentDate('2026-01-05')).to.equal('ngày 05 tháng 01 năm 2026');
    expect(vnDocumentDate('2026-02-28')).to.equal('ngày 28 tháng 02 năm 2026');
    expect(vnDocumentDate('2026-03-01')).to.equal('ngày 01 tháng 3 năm 2026');
    expect(vnDocumentDate('2026-12-31')).to.equal('ngày 31 tháng 12 năm 2026');
  });
});
