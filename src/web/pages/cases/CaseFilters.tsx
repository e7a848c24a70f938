import { Button, Col, DatePicker, Flex, Form, Grid, Input, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useMe } from '../../api/session';
import { usePrograms } from '../../components/EntityNames';
import { OrgPicker } from '../../components/OrgPicker';
import { isoDay } from '../../lib/format';
import { STATUS_NAMES } from '../../lib/labels';
import { useCampaigns } from './caseQueries';
import { hasFilters, type CaseListParams } from './listParams';

interface FilterValues {
  status: string[];
  programCode?: string;
  orgId?: string;
  campaignId?: string;
  from?: Dayjs;
  to?: Dayjs;
  q?: string;
}

const STATUS_OPTIONS = Object.entries(STATUS_NAMES).map(([value, label]) => ({ value, label }));
const DATE_FORMAT = 'DD/MM/YYYY';
const COLUMN = { xs: 24, sm: 12, lg: 8, xxl: 6 };

function valuesOf(params: CaseListParams): FilterValues {
  return {
    status: params.status,
    programCode: params.programCode,
    orgId: params.orgId,
    campaignId: params.campaignId,
    from: params.from ? dayjs(params.from) : undefined,
    to: params.to ? dayjs(params.to) : undefined,
    q: params.q,
  };
}

/** The filters of the case list; each change goes to the URL at once, the search text when submitted. */
export function CaseFilters({
  params,
  onChange,
  onClear,
}: {
  params: CaseListParams;
  onChange: (changes: Partial<CaseListParams>) => void;
  onClear: () => void;
}) {
  const [form] = Form.useForm<FilterValues>();
  const me = useMe();
  const programs = usePrograms();
  const campaigns = useCampaigns(params.programCode);
  // On a phone the list comes first: the less used filters open on demand.
  const phone = Grid.useBreakpoint().md === false;
  const [more, setMore] = useState(false);
  const hidden = [params.programCode, params.orgId, params.campaignId, params.from, params.to].filter(Boolean).length;
  const showAll = !phone || more;

  // Back and forward change the URL under the form: show what the URL says.
  const shown = useRef(params);
  useEffect(() => {
    // Only the filters the URL changed: a box the user is typing in keeps its text.
    const before = valuesOf(shown.current);
    const now = valuesOf(params);
    const changed = (Object.keys(now) as (keyof FilterValues)[]).filter(
      (key) => String(before[key] ?? '') !== String(now[key] ?? ''),
    );
    form.setFieldsValue(Object.fromEntries(changed.map((key) => [key, now[key]])));
    shown.current = params;
  }, [form, params]);

  const changed = (values: Partial<FilterValues>) => {
    const [[name, value]] = Object.entries(values) as [[keyof FilterValues, unknown]];
    if (name === 'q') return;
    if (name === 'status') onChange({ status: value as string[] });
    else if (name === 'from' || name === 'to') onChange({ [name]: value ? isoDay(value as Dayjs) : undefined });
    else if (name === 'programCode') onChange({ programCode: value as string | undefined, campaignId: undefined });
    else onChange({ [name]: value || undefined });
  };

  const moreFilters = (
    <>
      <Col {...COLUMN}>
        <Form.Item label="Chương trình" name="programCode">
          <Select
            allowClear
            placeholder="Mọi chương trình"
            loading={programs.isLoading}
            options={programs.data?.map((p) => ({ value: p.code, label: p.name }))}
          />
        </Form.Item>
      </Col>
      {me.org.level !== 'grassroots' && (
        <Col {...COLUMN}>
          <Form.Item label="Công đoàn" name="orgId">
            <OrgPicker allowClear placeholder="Mọi công đoàn" />
          </Form.Item>
        </Col>
      )}
      <Col {...COLUMN}>
        <Form.Item label="Đợt hỗ trợ" name="campaignId">
          <Select
            allowClear
            placeholder="Mọi đợt"
            loading={campaigns.isLoading}
            showSearch={{ optionFilterProp: 'label' }}
            options={campaigns.data?.items.map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
      </Col>
      <Col xs={12} sm={6} lg={4} xxl={3}>
        <Form.Item label="Tạo từ ngày" name="from">
          <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} placeholder="dd/mm/yyyy" />
        </Form.Item>
      </Col>
      <Col xs={12} sm={6} lg={4} xxl={3}>
        <Form.Item label="Đến ngày" name="to">
          <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} placeholder="dd/mm/yyyy" />
        </Form.Item>
      </Col>
    </>
  );

  return (
    <Form
      form={form}
      layout="vertical"
      onValuesChange={changed}
      initialValues={valuesOf(params)}
      className="case-filters"
    >
      <Row gutter={12}>
        <Col {...COLUMN}>
          <Form.Item label="Tìm kiếm" name="q">
            <Input.Search
              placeholder="Mã hồ sơ, số CCCD hoặc họ tên"
              allowClear
              onSearch={(text) => onChange({ q: text.trim() || undefined })}
            />
          </Form.Item>
        </Col>
        <Col {...COLUMN}>
          <Form.Item label="Trạng thái" name="status">
            <Select
              mode="multiple"
              allowClear
              placeholder="Mọi trạng thái"
              options={STATUS_OPTIONS}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
        </Col>
        {showAll && moreFilters}
      </Row>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        {phone && (
          <Button onClick={() => setMore(!more)} aria-expanded={more}>
            {more ? 'Ẩn bớt bộ lọc' : `Thêm bộ lọc${hidden ? ` (${hidden})` : ''}`}
          </Button>
        )}
        {hasFilters(params) && (
          <Button
            onClick={() => {
              form.setFieldValue('q', undefined);
              onClear();
            }}
          >
            Xóa bộ lọc
          </Button>
        )}
      </Flex>
    </Form>
  );
}
