import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Form, Input, Popconfirm, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { apiStartJob } from '../../api/client';
import { useMe } from '../../api/session';
import type { Job } from '../../components/JobProgress';
import { MoneyInput } from '../../components/MoneyInput';
import { groupDigits, isoDay, vnToday } from '../../lib/format';
import { applyFieldErrors } from '../../lib/forms';
import { ApproveFields, type FundMode } from './ApproveFields';
import type { BatchActionDef } from './batch-actions';
import { MIN_REASON, missingReasons } from './BatchCasesTable';

interface ActionFields {
  note?: string;
  reason?: string;
  amountMode?: 'own' | 'common';
  recommendedAmount?: number;
  fundMode?: FundMode;
  fundId?: string;
  fundShares?: { fundId: string; percent: number }[];
  signerName?: string;
  signerTitle?: string;
  decisionDate?: Dayjs;
}

/** The body of POST /batches/:id/ACTION (batches.schemas.ts `actionBodies`) from the form and the exclusions. */
function bodyOf(def: BatchActionDef, values: ActionFields, reasons: Record<string, string>): Record<string, unknown> {
  const exclude = Object.entries(reasons).map(([caseId, reason]) => ({ caseId, reason: reason.trim() }));
  const note = values.note?.trim() ? { note: values.note.trim() } : {};
  switch (def.action) {
    case 'submit':
      return { exclude, ...note };
    case 'verify':
      return {
        exclude,
        ...note,
        ...(values.amountMode === 'common' ? { recommendedAmount: values.recommendedAmount } : {}),
      };
    case 'return':
    case 'reject':
      return { exclude, reason: values.reason?.trim() };
    case 'approve':
      return {
        exclude,
        ...note,
        ...(values.fundMode === 'shares' ? { fundShares: values.fundShares } : { fundId: values.fundId }),
        signerName: values.signerName?.trim(),
        signerTitle: values.signerTitle?.trim(),
        decisionDate: values.decisionDate ? isoDay(values.decisionDate) : undefined,
      };
  }
}

interface Props {
  batchId: string;
  def: BatchActionDef;
  /** How many cases the action will be tried on (those it applies to, less the ones left out), and their total. */
  targets: { count: number; proposedAmount: number };
  reasons: Record<string, string>;
  onInvalidReasons: () => void;
  /** The job the server runs the action as (SPEC §14); the page follows it. */
  onStarted: (job: Job) => void;
  onCancel: () => void;
}

/** The fields of one batch action, then the send; the answer goes up to the page, which shows it per case. */
export function BatchActionForm({ batchId, def, targets, reasons, onInvalidReasons, onStarted, onCancel }: Props) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ActionFields>();
  const [message, setMessage] = useState<string | null>(null);
  const amountMode = Form.useWatch('amountMode', form);
  const mutation = useMutation({
    // Always as a job: the page shows its progress and the user may leave and come back (SPEC §14).
    mutationFn: (body: Record<string, unknown>) => apiStartJob(`/batches/${batchId}/${def.action}`, body),
    onSuccess: (job) => {
      queryClient.setQueryData(['jobs', job.id], job);
      onStarted(job);
    },
    onError: (error) => setMessage(applyFieldErrors(form, error)),
  });

  function onFinish(values: ActionFields) {
    setMessage(null);
    if (missingReasons(reasons) > 0) {
      onInvalidReasons();
      setMessage(`Ghi lý do (ít nhất ${MIN_REASON} ký tự) cho mỗi hồ sơ được loại ra.`);
      return;
    }
    if (targets.count === 0) {
      setMessage('Không còn hồ sơ nào để thực hiện: bỏ bớt hồ sơ được loại ra.');
      return;
    }
    mutation.mutate(bodyOf(def, values, reasons));
  }

  const send = `${def.title} ${groupDigits(targets.count)} hồ sơ`;
  return (
    <Form<ActionFields>
      form={form}
      layout="vertical"
      onFinish={onFinish}
      initialValues={{
        amountMode: 'own',
        fundMode: 'single',
        fundShares: [{}, {}],
        signerName: me.fullName,
        signerTitle: (me.title?.trim() || 'Chủ tịch').toUpperCase(),
        decisionDate: vnToday(),
      }}
      style={{ maxWidth: 900 }}
    >
      {def.action === 'verify' && (
        <>
          <Form.Item name="amountMode" label="Số tiền đề nghị hỗ trợ">
            <Radio.Group
              options={[
                { value: 'own', label: 'Theo số tiền đề nghị của từng hồ sơ' },
                { value: 'common', label: 'Một mức chung cho mọi hồ sơ' },
              ]}
            />
          </Form.Item>
          {amountMode === 'common' && (
            <Form.Item
              name="recommendedAmount"
              label="Mức đề nghị chung"
              rules={[{ required: true, message: 'Nhập số tiền đề nghị' }]}
            >
              <MoneyInput min={1} />
            </Form.Item>
          )}
        </>
      )}
      {def.action === 'approve' && <ApproveFields total={targets.proposedAmount} count={targets.count} />}
      {def.action === 'return' || def.action === 'reject' ? (
        <Form.Item
          name="reason"
          label="Lý do"
          rules={[
            { required: true, whitespace: true, min: MIN_REASON, message: `Nhập lý do (ít nhất ${MIN_REASON} ký tự)` },
          ]}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      ) : (
        <Form.Item name="note" label="Ghi chú">
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      )}
      {message && <Alert type="error" showIcon role="alert" title={message} style={{ marginBottom: 16 }} />}
      <Flex gap={8} wrap>
        {def.final ? (
          <Popconfirm
            title="Từ chối là kết thúc các hồ sơ này, không thể hoàn tác. Tiếp tục?"
            okText="Từ chối"
            cancelText="Thôi"
            onConfirm={() => form.submit()}
          >
            <Button type="primary" loading={mutation.isPending}>
              {send}
            </Button>
          </Popconfirm>
        ) : (
          <Button type="primary" htmlType="submit" loading={mutation.isPending}>
            {send}
          </Button>
        )}
        <Button onClick={onCancel} disabled={mutation.isPending}>
          Hủy
        </Button>
      </Flex>
    </Form>
  );
}
