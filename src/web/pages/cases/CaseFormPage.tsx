import { Alert, Button, Result, Skeleton } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useSession } from '../../api/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { label, STATUS_NAMES } from '../../lib/labels';
import { EDITABLE_STATUSES } from './caseActions';
import { CaseForm } from './CaseForm';
import { useCase } from './caseQueries';
import { CaseNotFound, isNotFound } from './CaseNotFound';
import { STALE_MESSAGE } from './staleRevision';

function EditCase({ id }: { id: string }) {
  const query = useCase(id);
  const navigate = useNavigate();
  const [stale, setStale] = useState(false);
  if (isNotFound(query.error)) return <CaseNotFound />;
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <Skeleton active />;
  const view = query.data;
  if (!EDITABLE_STATUSES.includes(view.status)) {
    return (
      <Result
        status="warning"
        title={`Hồ sơ ${view.code} đang ở trạng thái "${label(STATUS_NAMES, view.status)}" nên không sửa được`}
        subTitle="Chỉ sửa được hồ sơ nháp hoặc hồ sơ bị trả lại."
        extra={
          <Button type="primary" onClick={() => navigate(`/cases/${id}`)}>
            Xem hồ sơ
          </Button>
        }
      />
    );
  }
  return (
    <>
      <PageTitle>Sửa hồ sơ {view.code}</PageTitle>
      {stale && <Alert type="warning" showIcon role="alert" title={STALE_MESSAGE} style={{ marginBottom: 16 }} />}
      <CaseForm
        key={view.revision}
        existing={view}
        onStale={() => {
          setStale(true);
          void query.refetch();
        }}
      />
    </>
  );
}

/** Tạo hồ sơ / Sửa hồ sơ: grassroots officers only, the way the API allows (SPEC §2). */
export default function CaseFormPage() {
  const { id } = useParams();
  const { hasRole } = useSession();
  if (!hasRole('grassroots_officer')) {
    return <Result status="403" title="Không có quyền" subTitle="Chỉ cán bộ công đoàn cơ sở tạo và sửa hồ sơ." />;
  }
  if (id) return <EditCase id={id} />;
  return (
    <>
      <PageTitle>Tạo hồ sơ</PageTitle>
      <CaseForm />
    </>
  );
}
