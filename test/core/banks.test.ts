import { expect } from 'chai';
import { bankLabel, bankName, TRANSFER_BANKS } from '../../src/core/shared/banks.js';

describe('core: banks by BIN (VietQR bank list)', () => {
  it("when a known BIN is looked up, then the bank's name people use comes back", () => {
    expect(bankName('970415')).to.equal('VietinBank');
    expect(bankName('970405')).to.equal('Agribank');
    expect(bankLabel('970436')).to.equal('Vietcombank');
    expect(bankLabel('970418')).to.equal('BIDV');
  });

  it('when a bank was renamed, then its current name stands for the BIN', () => {
    expect(bankName('970406')).to.equal('Vikki Bank');
    expect(bankName('970449')).to.equal('LPBank');
  });

  it('when the BIN is unknown or missing, then the label says so in Vietnamese and the name is null', () => {
    expect(bankName('999999')).to.equal(null);
    expect(bankLabel('999999')).to.equal('Ngân hàng mã BIN 999999');
    expect(bankLabel(undefined)).to.equal('—');
  });

  it('when the transfer banks are offered, then each BIN is there once, by name, the large banks included', () => {
    const bins = TRANSFER_BANKS.map((b) => b.bin);
    expect(new Set(bins).size).to.equal(bins.length);
    expect(bins).to.include.members(['970415', '970405', '970436', '970418', '970422']);
    expect(TRANSFER_BANKS.every((b) => b.shortName && b.name)).to.equal(true);
  });
});
