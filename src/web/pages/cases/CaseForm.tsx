import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { apiGet, apiSend, ApiError } from '../../api/client';
import { useMe } from '../../api/session';
import { MoneyInput } from '../../components/MoneyInput';
import { date, money } from '../../lib/format';
import { applyFieldErrors, clearFieldErrors } from '../../lib/forms';
import { label, SUBTYPE_NAMES } from '../../lib/labels';
import { mask } from '../../../core/shared/masking';
import { usePrograms } from '../../components/EntityNames';
import { caseKey, useCampaigns, useProgramRules, type CaseView } from './caseQueries';
import type { Member } from '../../api/types';
import { cleanDetails, ProgramDetailsFields } from './caseDetails';
import { SearchSelect } from './SearchSelect';
import { isStale } from './staleRevision';
import { amountRules } from './amountRules';

export interface CaseFormValues {
  programCode?: string;
  subtype?: string;
  campaignId?: string;
  memberId?: string;
  requestedAmount?: number;
  situation?: string;
  details?: Record<string, unknown>;
}

const HALF = { xs: 24, md: 12 };

export function valuesOfCase(view: CaseView): CaseFormValues {
  return {
    programCode: view.programCode,
    subtype: view.subtype,
    campaignId: view.campaignId ?? undefined,
    memberId: view.memberId,
    requestedAmount: view.requestedAmount,
    situation: view.situation ?? '',
    details: view.details ?? {},
  };
}

function bodyOf(values: CaseFormValues, existing: CaseView | undefined) {
  const common = {
    subtype: values.subtype,
    requestedAmount: values.requestedAmount,
    situation: values.situation ?? '',
    details: cleanDetails(values.details),
  };
  // The member and the campaign change only while the case is a draft (SPEC §5; the API refuses them otherwise).
  const who =
    !existing || existing.status === 'draft'
      ? { memberId: values.memberId, campaignId: values.campaignId ?? null }
      : {};
  if (!existing) return { programCode: values.programCode, ...common, ...who };
  return { revision: existing.revision, ...common, ...who };
}

function memberLabel(member: Member): string {
  return `${member.fullName} · CCCD ${mask(member.citizenId) ?? '—'} · sinh ${date(member.dateOfBirth)}`;
}

/** Creates a draft case (no `existing`) or edits a draft or returned one; the API's field errors land beside the fields. */
export function CaseForm({ existing, onStale }: { existing?: CaseView; onStale?: () => void }) {
  const [form] = Form.useForm<CaseFormValues>();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const programCode = Form.useWatch('programCode', form);
  const subtype = Form.useWatch('subtype', form);
  const programs = usePrograms();
  const rules = useProgramRules(programCode, existing?.orgId ?? me.orgId).data;
  const campaigns = useCampaigns(programCode);
  const subtypes = Object.entries(rules?.maxAmount ?? {});
  const cap = subtype ? rules?.maxAmount[subtype] : undefined;
  const lockedWho = existing !== undefined && existing.status !== 'draft';

  const onlySubtype = subtypes.length === 1 ? subtypes[0]![0] : undefined;

  // A program with one kind of support (Tết gift) needs no choice.
  useEffect(() => {
    if (onlySubtype && form.getFieldValue('subtype') !== onlySubtype) form.setFieldValue('subtype', onlySubtype);
  }, [onlySubtype, form]);

  const searchMembers = async (text: string) => {
    const page = await apiGet('/members', {
      q: text,
      orgId: me.orgId,
      limit: 20,
      sort: 'fullName',
    });
    return page.items.map((member) => ({ value: member.id, label: memberLabel(member) }));
  };

  const save = async (values: CaseFormValues) => {
    setSaving(true);
    setProblem(null);
    clearFieldErrors(form);
    try {
      const saved = existing
        ? await apiSend('PATCH', `/cases/${existing.id}`, bodyOf(values, existing))
        : await apiSend('POST', '/cases', bodyOf(values, undefined));
      queryClient.setQueryData(caseKey(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      message.success(
        existing ? `Đã lưu hồ sơ ${saved.code}.` : `Đã tạo hồ sơ ${saved.code}. Tải lên giấy tờ rồi gửi hồ sơ.`,
      );
      navigate(`/cases/${saved.id}`);
    } catch (error) {
      if (isStale(error) && onStale) {
        onStale();
      } else if (error instanceof ApiError && error.code === 'AMOUNT_EXCEEDS_CAP') {
        form.setFields([{ name: 'requestedAmount', errors: [error.detail] }]);
        setProblem(error.detail);
      } else {
        setProblem(applyFieldErrors(form, error));
      }
    } finally {
      setSaving(false);
    }
  };

  const resetProgram = (changed: Partial<CaseFormValues>) => {
    if ('programCode' in changed) form.setFieldsValue({ subtype: undefined, campaignId: undefined, details: {} });
  };

  const campaignOptions = campaigns.data?.items
    .filter((c) => c.open || c.id === existing?.campaignId)
    .map((c) => ({ value: c.id, label: `${c.name} (${date(c.opensAt)} – ${date(c.closesAt)})` }));

  return (
    <Card>
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        onValuesChange={resetProgram}
        initialValues={existing ? valuesOfCase(existing) : { details: {} }}
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col {...HALF}>
            <Form.Item
              label="Chương trình"
              name="programCode"
              rules={[{ required: true, message: 'Chọn chương trình hỗ trợ' }]}
            >
              <Select
                disabled={Boolean(existing)}
                loading={programs.isLoading}
                placeholder="Chọn chương trình"
                options={programs.data
                  ?.filter((p) => p.active || p.code === existing?.programCode)
                  .map((p) => ({ value: p.code, label: p.name }))}
              />
            </Form.Item>
          </Col>
          <Col {...HALF}>
            <Form.Item label="Loại hỗ trợ" name="subtype" rules={[{ required: true, message: 'Chọn loại hỗ trợ' }]}>
              <Select
                disabled={!rules}
                placeholder={programCode ? 'Chọn loại hỗ trợ' : 'Chọn chương trình trước'}
                options={subtypes.map(([key, max]) => ({
                  value: key,
                  label: `${label(SUBTYPE_NAMES, key)} — tối đa ${money(max)}`,
                }))}
              />
            </Form.Item>
          </Col>
          {rules && (campaignOptions?.length || rules.requiresCampaign) ? (
            <Col {...HALF}>
              <Form.Item
                label="Đợt hỗ trợ"
                name="campaignId"
                rules={[{ required: rules.requiresCampaign, message: 'Chương trình này yêu cầu chọn đợt hỗ trợ' }]}
                extra={rules.requiresCampaign ? undefined : 'Không bắt buộc'}
              >
                <Select
                  allowClear
                  disabled={lockedWho}
                  loading={campaigns.isLoading}
                  placeholder="Chọn đợt đang mở"
                  options={campaignOptions}
                  notFoundContent="Không có đợt nào đang mở"
                />
              </Form.Item>
            </Col>
          ) : null}
          <Col {...HALF}>
            <Form.Item
              label="Đoàn viên"
              name="memberId"
              rules={[{ required: true, message: 'Chọn đoàn viên được hỗ trợ' }]}
              extra={
                lockedWho
                  ? 'Chỉ đổi được đoàn viên khi hồ sơ còn là bản nháp.'
                  : 'Gõ họ tên (không cần dấu) hoặc số CCCD đủ 12 số để tìm.'
              }
            >
              <SearchSelect
                queryKey={['members', me.orgId]}
                search={searchMembers}
                currentLabel={existing?.memberName}
                disabled={lockedWho}
                placeholder="Tìm đoàn viên của công đoàn"
              />
            </Form.Item>
          </Col>
          <Col {...HALF}>
            <Form.Item
              label="Số tiền đề nghị"
              name="requestedAmount"
              extra={cap !== undefined ? `Mức tối đa: ${money(cap)}` : undefined}
              rules={amountRules('Nhập số tiền đề nghị', cap)}
            >
              <MoneyInput />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="Hoàn cảnh khó khăn" name="situation">
          <Input.TextArea rows={4} maxLength={5000} showCount />
        </Form.Item>
        <ProgramDetailsFields programCode={programCode} />
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={saving}>
            {existing ? 'Lưu hồ sơ' : 'Tạo hồ sơ'}
          </Button>
          <Button onClick={() => navigate(existing ? `/cases/${existing.id}` : '/cases')}>Hủy</Button>
        </Space>
      </Form>
    </Card>
  );
}
