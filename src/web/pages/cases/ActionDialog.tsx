import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { apiSend, ApiError } from '../../api/client';
import type { CaseAction } from '../../api/types';
import { MoneyInput } from '../../components/MoneyInput';
import { isoDay, money } from '../../lib/format';
import { documentTypeName } from '../../lib/labels';
import { applyFieldErrors, clearFieldErrors } from '../../lib/forms';
import { amountRules } from './amountRules';
import { ApproveFields } from './ApproveFields';
import type { AllocationRow } from './FundAllocations';
import { caseKey, type CaseView } from './caseQueries';
import { ACTIONS } from './caseActions';
import { isStale } from './staleRevision';

interface ActionValues {
  note?: string;
  reason?: string;
  recommendedAmount?: number;
  approvedAmount?: number;
  amountReason?: string;
  fundAllocations?: AllocationRow[];
  signerName?: string;
  signerTitle?: string;
  decisionDate?: Dayjs;
}

interface ActionDialogProps {
  record: CaseView;
  action: CaseAction;
  cap: number | undefined;
  missing: string[];
  onClose: () => void;
  onStale: () => void;
}

/** The body of POST /cases/:id/<action>: the revision the user saw and what the dialog asked, empty answers left out. */
function bodyOf(record: CaseView, values: ActionValues): Record<string, unknown> {
  const { decisionDate, ...rest } = values;
  const body: Record<string, unknown> = { revision: record.revision, ...rest };
  if (decisionDate) body.decisionDate = isoDay(decisionDate);
  for (const [key, value] of Object.entries(body)) if (value === undefined || value === '') delete body[key];
  return body;
}

function initialValues(record: CaseView, action: string): ActionValues {
  const reference = record.recommendedAmount ?? record.requestedAmount;
  if (action === 'verify') return { recommendedAmount: record.requestedAmount };
  if (action === 'approve') return { approvedAmount: reference, fundAllocations: [{ amount: reference }] };
  return {};
}

/** One dialog for every workflow action: asks what the action's body needs and sends it with the case's revision. */
export function ActionDialog({ record, action, cap, missing, onClose, onStale }: ActionDialogProps) {
  const spec = ACTIONS[action]!;
  // The server refuses the step while its papers are missing (MISSING_DOCUMENTS): say which, and do not send.
  const lacking = spec.papers ? missing : [];
  const [form] = Form.useForm<ActionValues>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const send = async (values: ActionValues) => {
    setSending(true);
    setProblem(null);
    clearFieldErrors(form);
    try {
      const updated = await apiSend('POST', `/cases/${record.id}/${action}`, bodyOf(record, values));
      queryClient.setQueryData(caseKey(record.id), updated);
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      void queryClient.invalidateQueries({ queryKey: ['funds'] });
      // An approval issues a decision and a revocation revokes it (SPEC §6).
      void queryClient.invalidateQueries({ queryKey: ['decisions'] });
      message.success(spec.done);
      onClose();
    } catch (error) {
      if (isStale(error)) {
        onClose();
        onStale();
      } else if (error instanceof ApiError && error.code === 'AMOUNT_EXCEEDS_CAP') {
        // A submission has no amount field: the cap per member over years is told above the buttons only.
        const field = action === 'verify' ? 'recommendedAmount' : action === 'approve' ? 'approvedAmount' : null;
        if (field) form.setFields([{ name: field, errors: [error.detail] }]);
        setProblem(error.detail);
      } else {
        setProblem(applyFieldErrors(form, error));
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal
      open
      title={`${spec.title} ${record.code}`}
      okText={spec.ok}
      cancelText="Hủy"
      okButtonProps={{ danger: spec.danger, loading: sending, disabled: lacking.length > 0 }}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={spec.fields === 'approve' ? 720 : 520}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {lacking.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={`Chưa đủ giấy tờ: ${lacking.map(documentTypeName).join('; ')}`}
          description="Tải giấy tờ còn thiếu lên ở mục Giấy tờ của hồ sơ, rồi thực hiện lại."
          style={{ marginBottom: 16 }}
        />
      )}
      {spec.warning && <Alert type="info" showIcon title={spec.warning} style={{ marginBottom: 16 }} />}
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={send} initialValues={initialValues(record, action)}>
        {spec.fields === 'verify' && (
          <Form.Item
            label="Số tiền đề xuất hỗ trợ"
            name="recommendedAmount"
            extra={`Đề nghị: ${money(record.requestedAmount)}${cap !== undefined ? ` · mức tối đa: ${money(cap)}` : ''}`}
            rules={amountRules('Nhập số tiền đề xuất', cap)}
          >
            <MoneyInput />
          </Form.Item>
        )}
        {spec.fields === 'approve' && (
          <ApproveFields form={form} reference={record.recommendedAmount ?? record.requestedAmount} cap={cap} />
        )}
        {spec.fields === 'reason' ? (
          <Form.Item
            label="Lý do"
            name="reason"
            rules={[{ required: true, whitespace: true, min: 5, message: 'Nêu lý do (ít nhất 5 ký tự)' }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        ) : (
          <Form.Item label="Ghi chú" name="note">
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
