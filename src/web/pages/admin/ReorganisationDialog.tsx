import { useQuery } from '@tanstack/react-query';
import { Alert, Checkbox, Descriptions, Form, Input, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { apiGet } from '../../api/client';
import type { Org } from '../../api/types';
import { FormModal } from '../../components/FormModal';
import { OrgPicker } from '../../components/OrgPicker';
import { useFormMutation } from '../../components/useFormMutation';
import { isJobOver, JobProgress, useJob } from '../../components/JobProgress';
import {
  previewOf,
  startReorganisation,
  type OrgOperation,
  type ReorganisationJob,
  type ReorganisationKind,
} from './reorganisation-api';

interface Values {
  parentId?: string;
  successorId?: string;
  endMemberships?: boolean;
  sourceIds?: string[];
  effectiveDate: string;
  reason: string;
}

const TITLES: Record<ReorganisationKind, string> = {
  move: 'Chuyển đơn vị sang cấp trên khác',
  dissolve: 'Giải thể đơn vị',
  merge: 'Sáp nhập tỉnh vào tỉnh này',
};
const OK_TEXT: Record<ReorganisationKind, string> = { move: 'Chuyển', dissolve: 'Giải thể', merge: 'Sáp nhập' };

/** What moves along, counted by the server before the admin confirms (SPEC §13). */
function Preview({ org, kind, sourceIds }: { org: Org; kind: ReorganisationKind; sourceIds: string[] }) {
  const ready = kind !== 'merge' || sourceIds.length > 0;
  const preview = useQuery({
    queryKey: ['reorganisation-preview', org.id, kind, sourceIds],
    queryFn: () => previewOf(org.id, kind, sourceIds),
    enabled: ready,
  });
  if (!ready) return null;
  if (preview.error) return <Alert type="error" showIcon title="Không xem trước được những gì sẽ chuyển theo." />;
  const p = preview.data;
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      title="Sẽ chuyển theo"
      style={{ marginBottom: 16 }}
      items={[
        { key: 'orgs', label: 'Đơn vị (kể cả đơn vị này)', children: p?.orgs ?? '…' },
        { key: 'members', label: 'Đoàn viên', children: p?.members ?? '…' },
        { key: 'cases', label: 'Hồ sơ đang mở', children: p?.openCases ?? '…' },
        { key: 'users', label: 'Người dùng', children: p?.users ?? '…' },
        { key: 'funds', label: 'Nguồn kinh phí / đợt hỗ trợ', children: p ? `${p.funds} / ${p.campaigns}` : '…' },
      ]}
    />
  );
}

/**
 * Follows the reorganisation's job (GET /jobs/:id, SPEC §14) until it ends: the shared progress bar with the
 * items moved and the time left; the work goes on on the server if the dialog is closed.
 */
function OperationProgress({ job: started, onDone }: { job: ReorganisationJob; onDone: () => void }) {
  const current = useJob<OrgOperation>(started.id);
  const job = (current.data ?? started) as ReorganisationJob;
  const finished = job.status === 'succeeded';
  const told = useRef(false);
  // The tree is read again once everything has moved (once: the caller's callback may change every render).
  useEffect(() => {
    if (finished && !told.current) {
      told.current = true;
      onDone();
    }
  }, [finished, onDone]);
  return (
    <div aria-live="polite">
      <JobProgress
        job={job}
        label="Tiến độ tổ chức lại"
        unit="mục (đoàn viên, hồ sơ, người dùng… đã chuyển)"
        cancellable={false}
      />
      <p>
        {finished
          ? 'Đã hoàn tất. Mọi dữ liệu của đơn vị đã theo sang nơi mới.'
          : isJobOver(job)
            ? ''
            : 'Có thể đóng hộp thoại, thao tác vẫn tiếp tục trên máy chủ.'}
      </p>
      {job.status === 'failed' && (
        <Alert
          type="warning"
          showIcon
          title="Một bước chưa hoàn tất; thao tác sẽ được tiếp tục khi máy chủ khởi động lại."
        />
      )}
    </div>
  );
}

/** The move, dissolve and merge dialogs: choose, see what moves, confirm, then watch the progress. */
export function ReorganisationDialog({
  org,
  kind,
  onClose,
  onDone,
}: {
  org: Org;
  kind: ReorganisationKind;
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const [started, setStarted] = useState<ReorganisationJob | null>(null);
  const sourceIds = Form.useWatch('sourceIds', form) ?? [];
  const endMemberships = Form.useWatch('endMemberships', form) ?? false;
  const send = useFormMutation(form, {
    mutationFn: ({ endMemberships: end, successorId, ...values }: Values) =>
      startReorganisation(
        org.id,
        kind,
        kind === 'dissolve' ? { ...values, ...(end ? { endMemberships: true } : { successorId }) } : values,
      ),
    onSuccess: setStarted,
  });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  return (
    <FormModal<Values>
      title={`${TITLES[kind]}: ${org.name}`}
      okText={started ? 'Đóng' : OK_TEXT[kind]}
      // A started reorganisation cannot be cancelled: once it runs, the dialog only closes.
      cancelable={!started}
      form={form}
      initialValues={{ effectiveDate: today, reason: '', endMemberships: false }}
      sending={started ? { alert: null, pending: false, send: onClose } : send}
      onClose={onClose}
      intro={
        started ? (
          <OperationProgress job={started} onDone={onDone} />
        ) : (
          <Preview org={org} kind={kind} sourceIds={sourceIds} />
        )
      }
    >
      {!started && (
        <>
          {kind === 'move' && (
            <Form.Item
              name="parentId"
              label="Cấp trên mới"
              rules={[{ required: true, message: 'Vui lòng chọn cấp trên mới' }]}
            >
              <OrgPicker placeholder="Tìm theo tên hoặc mã" />
            </Form.Item>
          )}
          {kind === 'dissolve' && org.level === 'grassroots' && (
            <Form.Item name="endMemberships" valuePropName="checked">
              <Checkbox>Đoàn viên thôi sinh hoạt công đoàn (không có đơn vị kế thừa)</Checkbox>
            </Form.Item>
          )}
          {kind === 'dissolve' && !endMemberships && (
            <Form.Item
              name="successorId"
              label="Đơn vị kế thừa"
              rules={[{ required: true, message: 'Vui lòng chọn đơn vị kế thừa' }]}
            >
              <OrgPicker placeholder="Tìm theo tên hoặc mã" />
            </Form.Item>
          )}
          {kind === 'merge' && (
            <Form.Item
              name="sourceIds"
              label="Các tỉnh sáp nhập vào"
              rules={[{ required: true, message: 'Vui lòng chọn ít nhất một tỉnh' }]}
            >
              <ProvincesSelect exclude={org.id} />
            </Form.Item>
          )}
          <Form.Item
            name="effectiveDate"
            label="Ngày có hiệu lực"
            rules={[{ required: true, message: 'Vui lòng nhập ngày có hiệu lực' }]}
          >
            <Input type="date" />
          </Form.Item>
          <Form.Item
            name="reason"
            label="Lý do"
            rules={[{ required: true, min: 3, message: 'Vui lòng nhập lý do (ít nhất 3 ký tự)' }]}
          >
            <Input.TextArea rows={2} placeholder="Ví dụ: Nghị quyết sáp nhập, tổ chức chính quyền hai cấp" />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

function ProvincesSelect({
  exclude,
  value,
  onChange,
}: {
  exclude: string;
  value?: string[];
  onChange?: (ids: string[]) => void;
}) {
  const provinces = useQuery({
    queryKey: ['orgs', { level: 'province', limit: 100 }],
    queryFn: () => apiGet('/orgs', { level: 'province', limit: 100, sort: 'name' }),
  });
  return (
    <Select<string[]>
      mode="multiple"
      value={value}
      onChange={onChange}
      loading={provinces.isFetching}
      options={(provinces.data?.items ?? [])
        .filter((p) => p.id !== exclude && p.active)
        .map((p) => ({ value: p.id, label: p.name }))}
      style={{ width: '100%' }}
    />
  );
}
