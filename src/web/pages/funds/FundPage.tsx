import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Space, Spin } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { apiGet } from '../../api/client';
import { useSession } from '../../api/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { date, money } from '../../lib/format';
import { label } from '../../lib/labels';
import { FundAdjustModal } from './FundAdjustModal';
import { balanceOf, FUND_KIND_NAMES, type Fund } from './fund-types';
import { PeriodPicker, type Period } from './PeriodPicker';
import { PeriodTotals, StatementTable } from './StatementTable';

function FundSummary({ fund }: { fund: Fund }) {
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2, lg: 3 }}
      items={[
        { key: 'kind', label: 'Loại nguồn', children: label(FUND_KIND_NAMES, fund.kind) },
        { key: 'year', label: 'Năm', children: fund.year },
        ...(fund.sponsorName ? [{ key: 'sponsor', label: 'Nhà tài trợ', children: fund.sponsorName }] : []),
        { key: 'allocated', label: 'Phân bổ', children: money(fund.allocated) },
        { key: 'committed', label: 'Đã cam kết', children: money(fund.committed) },
        { key: 'disbursed', label: 'Đã chi', children: money(fund.disbursed) },
        { key: 'available', label: 'Còn có thể cam kết', children: money(fund.available) },
        { key: 'balance', label: 'Tồn quỹ', children: money(balanceOf(fund)) },
      ]}
    />
  );
}

/** A fund's statement (sổ chi tiết nguồn) for a period, with the balances before, after and along it. */
export default function FundPage() {
  const { id = '' } = useParams();
  const { hasRole } = useSession();
  const [params, setParams] = useSearchParams();
  const [adjusting, setAdjusting] = useState<Fund | null>(null);
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const query = useQuery({
    queryKey: ['fund-statement', id, { from, to }],
    queryFn: () => apiGet(`/funds/${id}/statement`, { from, to }),
    placeholderData: keepPreviousData,
  });
  const statement = query.data;
  const fund = statement?.fund;

  const setPeriod = (period: Period) => {
    const next = new URLSearchParams();
    if (period.from) next.set('from', period.from);
    if (period.to) next.set('to', period.to);
    setParams(next, { replace: true });
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageTitle
        extra={
          <>
            <Link to="/funds">← Danh sách nguồn</Link>
            {fund && hasRole('accountant', 'approver') && (
              <Button onClick={() => setAdjusting(fund)}>Điều chỉnh phân bổ</Button>
            )}
          </>
        }
      >
        {fund ? `Sổ chi tiết nguồn ${fund.code}` : 'Sổ chi tiết nguồn'}
      </PageTitle>
      <ErrorAlert error={query.error} />
      {query.isLoading && <Spin />}
      {fund && statement && (
        <>
          <Card title={fund.name}>
            <FundSummary fund={fund} />
          </Card>
          <Card
            title={from || to ? `Kỳ: ${from ? date(from) : 'từ đầu'} – ${to ? date(to) : 'nay'}` : 'Toàn bộ phát sinh'}
          >
            <div style={{ marginBottom: 16 }}>
              <PeriodPicker value={{ from, to }} onChange={setPeriod} />
            </div>
            <PeriodTotals opening={statement.opening} closing={statement.closing} />
            <div style={{ marginTop: 16 }}>
              <StatementTable entries={statement.entries} loading={query.isPlaceholderData} />
            </div>
          </Card>
        </>
      )}
      {adjusting && <FundAdjustModal fund={adjusting} onClose={() => setAdjusting(null)} />}
    </Space>
  );
}
