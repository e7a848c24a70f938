/**
 * Money for people (src/core/money.ts, src/core/shared/money.ts): the amount in words a decision or a voucher
 * prints ("Bằng chữ") and the grouping with dots that the server's papers and the web pages share.
 */
import { expect } from 'chai';
import { amountInWords, formatVndWithUnit } from '../../src/core/money.js';
import { formatVnd } from '../../src/core/shared/money.js';

describe('core: money in figures and in words', () => {
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

  it('when a figure is grouped, then it reads as the Vietnamese number format does, sign and small numbers included', () => {
    const vi = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
    for (const amount of [0, 7, 999, 1_000, -1_000, 25_000_000, -50_000_000, 1_234_567_890, Number.MAX_SAFE_INTEGER])
      expect(formatVnd(amount), String(amount)).to.equal(vi.format(amount));
  });
});
