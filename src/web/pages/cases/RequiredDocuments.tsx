import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Alert, List, Typography } from 'antd';
import type { CaseRecord } from '../../api/types';
import { documentTypeName } from '../../lib/labels';
import { missingPapers, type RequiredStep } from './documentRules';

/** The papers the next step needs, each marked present or missing. */
export function RequiredDocuments({ record, steps }: { record: CaseRecord; steps: RequiredStep[] }) {
  if (steps.length === 0) return null;
  const missing = new Set(missingPapers(record, steps));
  const missingCount = missing.size;
  return (
    <Alert
      type={missingCount ? 'warning' : 'success'}
      style={{ marginBottom: 16 }}
      title={missingCount ? `Còn thiếu ${missingCount} giấy tờ cho bước tiếp theo` : 'Đã đủ giấy tờ cho bước tiếp theo'}
      description={steps.map((step) => (
        <div key={step.title}>
          <Typography.Text strong>{step.title}:</Typography.Text>
          <List
            size="small"
            split={false}
            dataSource={step.types}
            aria-label={`Giấy tờ cần có ${step.title.toLowerCase()}`}
            renderItem={(type) => (
              <List.Item style={{ padding: '2px 0' }}>
                {!missing.has(type) ? (
                  <span>
                    <CheckCircleFilled style={{ color: '#237804' }} /> {documentTypeName(type)} — đã có
                  </span>
                ) : (
                  <span>
                    <ExclamationCircleFilled style={{ color: '#ad4e00' }} /> {documentTypeName(type)} —{' '}
                    <strong>còn thiếu</strong>
                  </span>
                )}
              </List.Item>
            )}
          />
        </div>
      ))}
    />
  );
}
