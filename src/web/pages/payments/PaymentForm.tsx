import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Form, Modal, Select, Spin } from 'antd';
import { useRef, useState } from 'react';
import { bankLabel } from '../../../core/shared/banks';
import { apiGet, apiSend } from '../../api/client';
import type { CaseRecord } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MoneyInput } from '../../components/MoneyInput';
import { money, vnToday } from '../../lib/format';
import { applyFieldErrors } from '../../lib/forms';
import { newIdempotencyKey } from './idempotency-key';
import {
  allocationLeft,
  firstOpenAllocation,
  missingDocuments,
  missingDocumentsText,
  nextTranche,
  suggestedAmount,
} from '../../../core/shared/payment-plan';
import type { CasePayments, Disbursement } from './payment-types';
import { refreshAfterPayment } from './refresh';
import { MethodField, NoteField, PaidAtField, VoucherNoField, voucherBody, type VoucherInput } from './voucher-fields';

interface PaymentInput extends VoucherInput {
  trancheNo: number;
  fundId: string;
  amount: number;
}

/** The account the member gave, as the case's snapshot keeps it (none before the case was submitted). */
function bankAccountOf(record: CaseRecord) {
  const account = record.memberSnapshot?.bankAccount;
  return account?.accountNo ? account : null;
}

function PaymentFields({
  record,
  plan,
  onDone,
}: {
  record: CaseRecord;
  plan: CasePayments;
  onDone: (created: Disbursement) => void;
}) {
  const [form] = Form.useForm<PaymentInput>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  // One key per opening of the form: a double click or a retry after a lost answer pays once (SPEC §7).
  const [idempotencyKey] = useState(newIdempotencyKey);
  const sending = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const tranche = nextTranche(plan.tranches);
  const firstFund = firstOpenAllocation(plan.fundAllocations);
  const account = bankAccountOf(record);
  const missing = missingDocuments(tranche, record.documents);

  const pay = useMutation({
    mutationFn: ({ trancheNo, fundId, amount, ...voucher }: PaymentInput) =>
      apiSend(
        'POST',
        `/cases/${record.id}/disbursements`,
        { trancheNo, fundId, amount, ...voucherBody(voucher) },
        { headers: { 'Idempotency-Key': idempotencyKey } },
      ),
    onSuccess: async (created) => {
      void message.success(`Đã ghi nhận khoản chi ${money(created.amount)} cho hồ sơ ${created.caseCode}.`);
      await refreshAfterPayment(queryClient);
      onDone(created);
    },
    onError: (err) => setError(applyFieldErrors(form, err)),
    onSettled: () => {
      sending.current = false;
    },
  });

  const submit = (values: PaymentInput) => {
    if (sending.current) return;
    sending.current = true;
    setError(null);
    pay.mutate(values);
  };

  const onValuesChange = (changed: Partial<PaymentInput>) => {
    if (!('fundId' in changed)) return;
    const allocation = plan.fundAllocations.find((a) => a.fundId === changed.fundId);
    form.setFieldValue('amount', suggestedAmount(tranche, allocation));
  };

  if (!tranche) return <Alert type="info" showIcon title="Hồ sơ đã được chi đủ các đợt." />;
  return (
    <Form<PaymentInput>
      form={form}
      layout="vertical"
      onFinish={submit}
      onValuesChange={onValuesChange}
      initialValues={{
        trancheNo: tranche.no,
        fundId: firstFund?.fundId,
        amount: suggestedAmount(tranche, firstFund),
        method: account ? 'bank_transfer' : 'cash',
        paidAt: vnToday(),
      }}
    >
      {missing.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={missingDocumentsText(tranche.no, missing)} />
      )}
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}
      <Form.Item label="Đợt chi" name="trancheNo" rules={[{ required: true }]}>
        <Select
          options={plan.tranches.map((t) => ({
            value: t.no,
            disabled: t.no !== tranche.no,
            label: `Đợt ${t.no}: ${t.label} (${t.percent}%) · còn ${money(t.remaining)}`,
          }))}
        />
      </Form.Item>
      <Form.Item label="Nguồn kinh phí" name="fundId" rules={[{ required: true, message: 'Chọn nguồn kinh phí' }]}>
        <Select
          options={plan.fundAllocations.map((a) => ({
            value: a.fundId,
            disabled: allocationLeft(a) <= 0,
            label: `${a.fundCode} · ${a.fundName} · còn ${money(allocationLeft(a))}`,
          }))}
        />
      </Form.Item>
      <Form.Item
        label="Số tiền chi"
        name="amount"
        rules={[
          { required: true, type: 'number', min: 1, message: 'Nhập số tiền chi' },
          { type: 'number', max: tranche.remaining, message: `Đợt ${tranche.no} chỉ còn ${money(tranche.remaining)}` },
          ({ getFieldValue }) => ({
            validator: async (_, amount?: number) => {
              const allocation = plan.fundAllocations.find((a) => a.fundId === getFieldValue('fundId'));
              if (allocation && amount && amount > allocationLeft(allocation)) {
                throw new Error(
                  `Nguồn ${allocation.fundCode} chỉ còn ${money(allocationLeft(allocation))} cho hồ sơ này`,
                );
              }
            },
          }),
        ]}
      >
        <MoneyInput min={1} />
      </Form.Item>
      <MethodField />
      <Form.Item noStyle dependencies={['method']}>
        {({ getFieldValue }) =>
          getFieldValue('method') === 'bank_transfer' && (
            <Alert
              type={account ? 'info' : 'warning'}
              style={{ marginBottom: 16 }}
              title={
                account
                  ? `Chuyển vào tài khoản ${account.accountNo} (${account.accountName ?? ''}), ngân hàng ${bankLabel(account.bankBin)}.`
                  : 'Hồ sơ chưa ghi tài khoản ngân hàng của đoàn viên; máy chủ dùng tài khoản hiện tại của đoàn viên nếu có.'
              }
            />
          )
        }
      </Form.Item>
      <PaidAtField />
      <VoucherNoField />
      <NoteField />
      <Button type="primary" htmlType="submit" block loading={pay.isPending} disabled={missing.length > 0}>
        Ghi nhận khoản chi
      </Button>
    </Form>
  );
}

/**
 * "Ghi nhận chi trả" for one case. The caller mounts it once per opening, so each opening has its own
 * Idempotency-Key and every retry or double click of that opening reuses it.
 */
export function PaymentForm({ caseId, onClose }: { caseId: string; onClose: (created?: Disbursement) => void }) {
  const record = useQuery({ queryKey: ['cases', caseId], queryFn: () => apiGet(`/cases/${caseId}`) });
  const plan = useQuery({
    queryKey: ['case-payments', caseId],
    queryFn: () => apiGet(`/cases/${caseId}/disbursements`),
    refetchOnMount: 'always',
  });
  const data = plan.data;
  return (
    <Modal
      open
      title={`Ghi nhận chi trả${data ? ` – ${data.code}` : ''}`}
      footer={null}
      onCancel={() => onClose()}
      width={560}
    >
      <ErrorAlert error={record.error ?? plan.error} />
      {(record.isLoading || plan.isLoading) && <Spin />}
      {record.data && data && (
        <>
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2 }}
            style={{ marginBottom: 16 }}
            items={[
              { key: 'member', label: 'Đoàn viên', children: record.data.memberName },
              { key: 'approved', label: 'Số phê duyệt', children: money(data.approvedAmount) },
              { key: 'paid', label: 'Đã chi', children: money(data.disbursedAmount) },
              { key: 'left', label: 'Còn lại', children: money(data.remainingAmount) },
            ]}
          />
          <PaymentFields record={record.data} plan={data} onDone={onClose} />
        </>
      )}
    </Modal>
  );
}
