import { Card, Flex, Grid, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useSession } from '../../api/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { AmountsChart } from './AmountsChart';
import { ReportDownloads } from './ReportDownloads';
import { ReportFilters } from './ReportFilters';
import { useReportParams } from './reportParams';
import { REGISTER_PATH, SUMMARY_PATH, summaryQuery, useRegister, useSummary } from './reportQueries';
import { RegisterTable } from './RegisterTable';
import { ReportRebuildPanel } from './ReportRebuildPanel';
import { SummaryTable } from './SummaryTable';

/** A part of the page as a landmark named by its heading, so that screen readers can jump between them. */
function Part({
  id,
  title,
  extra,
  children,
}: {
  id: string;
  title: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
}) {
  const screens = Grid.useBreakpoint();
  // The buttons sit beside the heading on a laptop and under it on a phone (the card's own `extra` would squeeze it).
  const head = (
    <Flex justify="space-between" align="center" wrap gap={8} style={{ paddingBlock: 8 }}>
      <Typography.Title level={2} id={id} style={{ fontSize: 16, margin: 0, whiteSpace: 'normal' }}>
        {title}
      </Typography.Title>
      {extra}
    </Flex>
  );
  return (
    <section aria-labelledby={id}>
      <Card title={head} size={screens.md === false ? 'small' : 'default'}>
        {children}
      </Card>
    </section>
  );
}

/** Báo cáo (SPEC §8, §12): the summary of a period with its chart, the register, and both as files. */
export default function ReportsPage() {
  const { params, filter, change } = useReportParams();
  const summary = useSummary(filter, params.groupBy);
  // The register's page goes back to the first whenever the filter changes.
  const filterKey = JSON.stringify(filter);
  const [registerPage, setRegisterPage] = useState({ filterKey, page: 1 });
  const page = registerPage.filterKey === filterKey ? registerPage.page : 1;
  const register = useRegister(filter, page);
  const report = summary.data;
  const heading = report ? `${report.periodLabel} — ${report.org.name}` : 'Đang tải…';
  const { hasRole, me } = useSession();
  // The totals are one for the whole database: only a national administrator rebuilds them.
  const rebuilds = hasRole('admin') && me?.orgPath.length === 1;

  return (
    <Flex vertical gap={16}>
      <PageTitle>Báo cáo</PageTitle>
      <Card>
        <ReportFilters choice={params} onChange={change} />
      </Card>
      <Part
        id="report-summary"
        title={<>Tổng hợp: {heading}</>}
        extra={
          <ReportDownloads path={SUMMARY_PATH} query={summaryQuery(filter, params.groupBy)} what="bảng tổng hợp" />
        }
      >
        <ErrorAlert error={summary.error} />
        <SummaryTable
          groupBy={report?.groupBy ?? params.groupBy}
          rows={report?.rows ?? []}
          total={report?.total}
          loading={summary.isFetching}
          labelledBy="report-summary"
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          Phê duyệt tính theo ngày quyết định; chi trả theo ngày chi, đã trừ các khoản hủy chi; số người được chi đếm
          mỗi người một lần.
        </Typography.Paragraph>
      </Part>
      <Part id="report-chart" title="Số tiền phê duyệt và chi trả">
        <AmountsChart filter={filter} by={params.chart} onBy={(chart) => change({ chart })} />
      </Part>
      <Part
        id="report-register"
        title={<>Sổ chi trả{register.data ? `: ${register.data.periodLabel}` : ''}</>}
        extra={<ReportDownloads path={REGISTER_PATH} query={{ ...filter }} what="sổ chi trả" />}
      >
        <ErrorAlert error={register.error} />
        <RegisterTable
          report={register.data}
          loading={register.isFetching}
          page={page}
          onPage={(next) => setRegisterPage({ filterKey, page: next })}
        />
      </Part>
      {rebuilds && (
        <Part id="report-rebuild" title="Tính lại tổng báo cáo">
          <ReportRebuildPanel />
        </Part>
      )}
    </Flex>
  );
}
