import { useMutation } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { useState } from 'react';
import { applyFieldErrors, clearFieldErrors } from '../lib/forms';

interface Options<V, R> {
  mutationFn: (values: V) => Promise<R>;
  onSuccess: (result: R) => void | Promise<void>;
}

/**
 * Sends a form: the API's `errors[]` go beside their fields (nested paths too), what no field takes goes
 * to `alert` for the top of the form, and each attempt starts without the errors of the last one.
 */
export function useFormMutation<V, R>(form: FormInstance<V>, { mutationFn, onSuccess }: Options<V, R>) {
  const [alert, setAlert] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn,
    onMutate: () => {
      setAlert(null);
      clearFieldErrors(form);
    },
    onSuccess,
    onError: (error) => setAlert(applyFieldErrors(form, error)),
  });
  return { alert, send: mutation.mutate, pending: mutation.isPending };
}
