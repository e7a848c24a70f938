import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';

/**
 * Puts the API's `errors[]` beside the fields they name (`citizenId`, `details.landStatus`, `allocations.0.amount`)
 * and answers the messages no field took, for an alert above the form.
 */
export function applyFieldErrors(form: FormInstance, error: unknown): string | null {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const leftOver: string[] = [];
  const fields = error.errors.flatMap((item) => {
    const name = item.path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    if (!known.has(String(name[0]))) {
      leftOver.push(item.message);
      return [];
    }
    return [{ name, errors: [item.message] }];
  });
  form.setFields(fields);
  if (fields.length > 0 && leftOver.length === 0) return error.detail;
  return [error.detail, ...leftOver].join(' ');
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  return error instanceof Error ? error.message : 'Đã có lỗi.';
}

/**
 * Clears every error shown beside a field: an error the API set stays on a field without rules until
 * cleared, so a new attempt starts clean (call before sending).
 */
export function clearFieldErrors(form: FormInstance): void {
  form.setFields(
    form
      .getFieldsError()
      .filter((field) => field.errors.length)
      .map((field) => ({ name: field.name, errors: [] })),
  );
}
