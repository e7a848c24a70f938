import { Alert } from 'antd';
import { errorText } from '../lib/forms';

/** A failed request's Vietnamese `detail` (problem+json), or nothing when there is no error. */
export function ErrorAlert({ error, className }: { error: unknown; className?: string }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={errorText(error)}
      className={className}
      style={{ marginBottom: 16 }}
    />
  );
}
