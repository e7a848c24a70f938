/**
 * The next payment of a case (src/core/shared/payment-plan.ts): the rules the payment form, the list payment
 * page and the list payment job share. The payment itself is tested through the API (test/disbursements/).
 */
import { expect } from 'chai';
import { nextPayment, nextTranche, suggestedAmount } from '../../src/core/shared/payment-plan.js';

const tranche = (no: number, amount: number, paid: number, requiresDocuments: string[] = []) => ({
  no,
  amount,
  paid,
  requiresDocuments,
});
const share = (fundId: string, amount: number, paid: number) => ({ fundId, amount, paid });

describe('core: the next payment of a case', () => {
  it('when tranches are partly paid, then the first one not fully paid is next, for what is left of it', () => {
    const tranches = [tranche(1, 30, 30), tranche(2, 50, 20), tranche(3, 20, 0)];
    expect(nextTranche(tranches)?.no).to.equal(2);
    expect(suggestedAmount(tranches[1], undefined)).to.equal(30);
    expect(suggestedAmount(tranches[1], share('a', 100, 90))).to.equal(10);
    expect(nextTranche([tranche(1, 30, 30)])).to.equal(undefined);
  });

  it('when the case can be paid, then the payment is the rest of the tranche from the first fund share with money left', () => {
    const next = nextPayment(
      { tranches: [tranche(1, 60, 0)], fundAllocations: [share('a', 40, 40), share('b', 20, 0), share('c', 40, 0)] },
      [],
    );
    expect(next).to.deep.include({ amount: 20 });
    expect('allocation' in next && next.allocation.fundId).to.equal('b');
  });

  it('when a fund is asked for, then only its share is used', () => {
    const plan = { tranches: [tranche(1, 60, 0)], fundAllocations: [share('a', 30, 0), share('b', 30, 30)] };
    expect(nextPayment(plan, [], 'a')).to.deep.include({ amount: 30 });
    expect(nextPayment(plan, [], 'b')).to.deep.equal({
      reason: 'Hồ sơ không còn phần cam kết chưa chi từ nguồn kinh phí đã chọn.',
    });
  });

  it('when there is nothing to pay, a paper is missing or no fund share has money left, then the reason is said', () => {
    expect(nextPayment({ tranches: [tranche(1, 10, 10)], fundAllocations: [] }, [])).to.deep.equal({
      reason: 'Hồ sơ đã được chi đủ các đợt.',
    });
    expect(
      nextPayment({ tranches: [tranche(2, 10, 0, ['handover_minutes'])], fundAllocations: [share('a', 10, 0)] }, []),
    ).to.deep.equal({ reason: 'Chưa thể chi đợt 2: hồ sơ còn thiếu Biên bản bàn giao nhà.' });
    expect(nextPayment({ tranches: [tranche(1, 10, 0)], fundAllocations: [share('a', 10, 10)] }, [])).to.deep.equal({
      reason: 'Phần cam kết của các nguồn kinh phí cho hồ sơ đã chi hết.',
    });
  });
});
