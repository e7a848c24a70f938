import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Progress, Select, Upload, type UploadFile, type UploadProps } from 'antd';
import { useState } from 'react';
import { apiUpload } from '../../api/client';
import type { CaseRecord } from '../../api/types';
import { errorText } from '../../lib/forms';
import { documentTypeName, documentTypesOf } from '../../lib/labels';
import type { ProgramRules } from '../../api/types';
import { missingPapers, type RequiredStep } from './documentRules';

const ACCEPT = '.pdf,.jpg,.jpeg,.png,.webp,.heic,application/pdf,image/jpeg,image/png,image/webp,image/heic';

/** The types to offer: what the next step still lacks first, then the program's other types, `other` last. */
function typeOptions(rules: ProgramRules, missing: string[]) {
  const all = documentTypesOf(rules);
  const ordered = [...missing, ...all.filter((type) => !missing.includes(type))];
  return ordered.map((type) => ({
    value: type,
    label: missing.includes(type) ? `${documentTypeName(type)} (còn thiếu)` : documentTypeName(type),
  }));
}

/** Adds papers to the case by drag and drop or the file chooser, with each file's progress (SPEC §9). */
export function DocumentUpload({
  record,
  rules,
  steps,
  onUploaded,
}: {
  record: CaseRecord;
  rules: ProgramRules;
  steps: RequiredStep[];
  onUploaded: () => void;
}) {
  const { message } = App.useApp();
  const missing = missingPapers(record, steps);
  const [chosen, setChosen] = useState<string | undefined>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  // Until the user picks a type, the next missing paper is proposed; after each upload the proposal moves on.
  const type = chosen ?? missing[0] ?? 'other';

  const send: UploadProps['customRequest'] = ({ file, onProgress, onSuccess, onError }) => {
    const form = new FormData();
    form.append('type', type);
    form.append('file', file as File);
    setProblem(null);
    apiUpload(`/cases/${record.id}/documents`, form, (percent) => onProgress?.({ percent })).then(
      (document) => {
        onSuccess?.(document);
        setChosen(undefined);
        message.success(`Đã tải lên ${documentTypeName(document.type)}: ${document.originalName}`);
        onUploaded();
      },
      (error: unknown) => {
        onError?.(error as Error);
        setProblem(errorText(error));
      },
    );
  };

  return (
    <div>
      <label htmlFor="document-type" style={{ display: 'block', marginBottom: 4 }}>
        Loại giấy tờ
      </label>
      <Select
        id="document-type"
        value={type}
        onChange={setChosen}
        options={typeOptions(rules, missing)}
        style={{ width: '100%', maxWidth: 420, marginBottom: 12 }}
      />
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 12 }} />}
      <Upload.Dragger
        accept={ACCEPT}
        multiple
        customRequest={send}
        fileList={files}
        showUploadList={false}
        // Finished files show in the list of papers above; only those in flight show here, with their progress.
        onChange={({ fileList }) => setFiles(fileList.filter((f) => f.status === 'uploading'))}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">Kéo thả tệp vào đây hoặc bấm để chọn tệp</p>
        <p className="ant-upload-hint">
          PDF, JPEG, PNG, WebP hoặc HEIC; mỗi tệp tải lên là một “{documentTypeName(type)}”.
        </p>
      </Upload.Dragger>
      {files.map((file) => (
        <div key={file.uid} style={{ marginTop: 8 }}>
          <div style={{ wordBreak: 'break-all' }}>{file.name}</div>
          <Progress percent={Math.round(file.percent ?? 0)} size="small" aria-label={`Đang tải lên ${file.name}`} />
        </div>
      ))}
    </div>
  );
}
