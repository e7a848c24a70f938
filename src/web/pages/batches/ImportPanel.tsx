import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Progress,
  Row,
  Select,
  Typography,
  Upload,
  type FormInstance,
  type UploadFile,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, apiGet, apiUpload } from '../../api/client';
import { usePrograms, type Program } from '../../components/EntityNames';
import { isJobOver, JobProgress, useJob, type Job } from '../../components/JobProgress';
import { useUrlParams } from '../../components/useUrlParams';
import { download } from '../../lib/download';
import { date, groupDigits, money } from '../../lib/format';
import { applyFieldErrors, errorText } from '../../lib/forms';
import { label, SUBTYPE_NAMES } from '../../lib/labels';
import type { ImportAnswer, RejectedRow } from './batch-types';
import { ImportResult } from './ImportResult';
import { RejectedRowsTable } from './RejectedRowsTable';
import { useBatch } from './useBatch';

/** A failed import job may have left its list `incomplete` with the cases it made (docs/jobs.md): the way to it. */
function StoppedList({ batchId }: { batchId: string }) {
  const batch = useBatch(batchId);
  if (batch.data?.status !== 'incomplete') return null;
  return (
    <Link to={`/batches/${batchId}`}>
      Mở danh sách mới nhập được một phần ({groupDigits(batch.data.createdCount)} hồ sơ đã tạo)
    </Link>
  );
}

interface ImportFields {
  programCode?: string;
  campaignId?: string;
  subtype?: string;
  file?: UploadFile[];
}

interface Failure {
  message: string;
  /** The earlier batch of the same file (409). */
  batchId?: string;
  /** A file with no valid row (400) still says why each row was refused. */
  rejectedRows?: RejectedRow[];
}

function failureOf(form: FormInstance<ImportFields>, error: unknown): Failure {
  if (!(error instanceof ApiError)) return { message: errorText(error) };
  const body = error.body;
  if (Array.isArray(body.rejectedRows))
    return { message: error.detail, rejectedRows: body.rejectedRows as RejectedRow[] };
  if (error.status === 409)
    return { message: error.detail, batchId: typeof body.batchId === 'string' ? body.batchId : undefined };
  return { message: applyFieldErrors(form, error) ?? error.detail };
}

/** Lists are for programs paid per campaign (Tết gifts, disaster relief): one row per member. */
function isListProgram(program: Program): boolean {
  return program.active && program.rules.requiresCampaign;
}

/**
 * A list imported as a job (more than 500 rows: the server answers 202, SPEC §14): its id is kept in the
 * address (`?importJob=`), so the officer may leave the page and find the progress, then the outcome, on return.
 */
function useImportJob() {
  const [params, update] = useUrlParams();
  const job = useJob<ImportAnswer>(params.get('importJob')).data;
  const over = isJobOver(job);
  const queryClient = useQueryClient();
  useEffect(() => {
    if (over) for (const key of ['batches', 'cases']) void queryClient.invalidateQueries({ queryKey: [key] });
  }, [over, queryClient]);
  return {
    job: job?.kind === 'batch.import' ? job : undefined,
    follow: (id: string | undefined) => update({ importJob: id }),
  };
}

/** The grassroots officer's "Nhập danh sách": program, campaign and kind, the template, the file, then the answer. */
export function ImportPanel() {
  const queryClient = useQueryClient();
  const importJob = useImportJob();
  const [form] = Form.useForm<ImportFields>();
  const programCode = Form.useWatch('programCode', form);
  const programs = usePrograms();
  const campaigns = useQuery({
    queryKey: ['campaigns', { programCode, open: true }],
    queryFn: () => apiGet('/campaigns', { programCode, open: true, limit: 100 }),
    enabled: Boolean(programCode),
  });
  const rules = useQuery({
    queryKey: ['program-rules', programCode],
    queryFn: () => apiGet(`/programs/${programCode}/rules`),
    enabled: Boolean(programCode),
  });
  const kinds = Object.entries(rules.data?.rules.maxAmount ?? {});
  const [progress, setProgress] = useState<number | null>(null);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [templateError, setTemplateError] = useState<string | null>(null);

  async function onFinish(values: ImportFields) {
    const file = values.file?.[0]?.originFileObj;
    if (!file || !values.programCode) return;
    const data = new FormData();
    data.append('programCode', values.programCode);
    if (values.campaignId) data.append('campaignId', values.campaignId);
    const subtype = values.subtype ?? (kinds.length === 1 ? kinds[0]![0] : undefined);
    if (subtype) data.append('subtype', subtype);
    data.append('file', file, file.name);
    setAnswer(null);
    setFailure(null);
    importJob.follow(undefined);
    setProgress(0);
    try {
      const result = (await apiUpload('/batches/import', data, setProgress)) as ImportAnswer | Job<ImportAnswer>;
      // 201: the list is imported; 202: a long list is imported by a job, whose progress is shown below.
      if ('kind' in result) importJob.follow(result.id);
      else setAnswer(result);
      form.setFieldValue('file', []);
      void queryClient.invalidateQueries({ queryKey: ['batches'] });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
    } catch (error) {
      setFailure(failureOf(form, error));
    } finally {
      setProgress(null);
    }
  }

  async function downloadTemplate(format: 'xlsx' | 'csv') {
    setTemplateError(null);
    try {
      await download('/batches/template', { programCode, format }, `mau-danh-sach.${format}`);
    } catch (error) {
      setTemplateError(errorText(error));
    }
  }

  return (
    <Card title="Nhập danh sách">
      <Form<ImportFields>
        form={form}
        layout="vertical"
        onFinish={(values) => void onFinish(values)}
        onValuesChange={(changed: ImportFields) => {
          if ('programCode' in changed) form.setFieldsValue({ campaignId: undefined, subtype: undefined });
        }}
      >
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              name="programCode"
              label="Chương trình"
              rules={[{ required: true, message: 'Chọn chương trình' }]}
            >
              <Select
                loading={programs.isLoading}
                placeholder="Chọn chương trình"
                options={(programs.data ?? []).filter(isListProgram).map((p) => ({ value: p.code, label: p.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="campaignId" label="Đợt hỗ trợ" rules={[{ required: true, message: 'Chọn đợt hỗ trợ' }]}>
              <Select
                loading={campaigns.isLoading}
                disabled={!programCode}
                placeholder={programCode ? 'Chọn đợt đang mở' : 'Chọn chương trình trước'}
                notFoundContent="Không có đợt nào đang mở"
                options={(campaigns.data?.items ?? []).map((c) => ({
                  value: c.id,
                  label: `${c.name} (${date(c.opensAt)} – ${date(c.closesAt)})`,
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            {kinds.length > 1 ? (
              <Form.Item name="subtype" label="Loại hỗ trợ" rules={[{ required: true, message: 'Chọn loại hỗ trợ' }]}>
                <Select
                  placeholder="Chọn loại hỗ trợ"
                  options={kinds.map(([kind, cap]) => ({
                    value: kind,
                    label: `${label(SUBTYPE_NAMES, kind)} (tối đa ${money(cap)})`,
                  }))}
                />
              </Form.Item>
            ) : (
              kinds.length === 1 && (
                <Form.Item label="Loại hỗ trợ">
                  <Typography.Text>
                    {label(SUBTYPE_NAMES, kinds[0]![0])} (tối đa {money(kinds[0]![1])} mỗi người)
                  </Typography.Text>
                </Form.Item>
              )
            )}
          </Col>
        </Row>
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Button icon={<DownloadOutlined />} disabled={!programCode} onClick={() => void downloadTemplate('xlsx')}>
            Tải mẫu XLSX
          </Button>
          <Button icon={<DownloadOutlined />} disabled={!programCode} onClick={() => void downloadTemplate('csv')}>
            Tải mẫu CSV
          </Button>
        </Flex>
        {templateError && <Alert type="error" showIcon title={templateError} style={{ marginBottom: 16 }} />}
        <Form.Item
          name="file"
          label="Tệp danh sách (CSV hoặc XLSX)"
          valuePropName="fileList"
          getValueFromEvent={(event: { fileList: UploadFile[] }) => event.fileList.slice(-1)}
          rules={[{ required: true, message: 'Chọn tệp danh sách' }]}
        >
          <Upload.Dragger accept=".csv,.xlsx" maxCount={1} beforeUpload={() => false}>
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">Kéo thả tệp vào đây hoặc bấm để chọn tệp</p>
            <p className="ant-upload-hint">Mỗi dòng một đoàn viên, với dòng tiêu đề của tệp mẫu.</p>
          </Upload.Dragger>
        </Form.Item>
        {progress !== null && <Progress percent={progress} aria-label="Tiến độ tải tệp lên" />}
        <Button type="primary" htmlType="submit" icon={<UploadOutlined />} loading={progress !== null}>
          Nhập danh sách
        </Button>
      </Form>
      {failure && (
        <div style={{ marginTop: 16 }}>
          <Alert
            type="error"
            showIcon
            role="alert"
            title={failure.message}
            description={
              failure.batchId && <Link to={`/batches/${failure.batchId}`}>Mở danh sách đã nhập từ tệp này</Link>
            }
            style={{ marginBottom: 16 }}
          />
          {failure.rejectedRows && <RejectedRowsTable rows={failure.rejectedRows} />}
        </div>
      )}
      {importJob.job && (
        <div style={{ marginTop: 16 }}>
          <JobProgress job={importJob.job} label="Nhập danh sách" unit="dòng" cancellable={false} />
          {importJob.job.status === 'failed' && typeof importJob.job.input.batchId === 'string' && (
            <StoppedList batchId={importJob.job.input.batchId} />
          )}
        </div>
      )}
      {importJob.job?.status === 'succeeded' && importJob.job.result && <ImportResult answer={importJob.job.result} />}
      {answer && <ImportResult answer={answer} />}
    </Card>
  );
}
