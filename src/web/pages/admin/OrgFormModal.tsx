import { useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Switch } from 'antd';
import { apiSend } from '../../api/client';
import type { Org } from '../../api/types';
import { useFormMutation } from '../../components/useFormMutation';
import { label, LEVEL_NAMES } from '../../lib/labels';
import { changedFields } from '../members/member-values';
import { FormModal } from '../../components/FormModal';

export type OrgFormTarget = { mode: 'create'; parent: Org } | { mode: 'edit'; org: Org; own: boolean };

const LEVELS: Org['level'][] = ['national', 'province', 'upper', 'grassroots'];

/** The level directly below: national → province → upper → grassroots (the API allows no other). */
export function childLevel(level: Org['level']): Org['level'] | undefined {
  return LEVELS[LEVELS.indexOf(level) + 1];
}

interface Values {
  code?: string;
  name: string;
  shortName: string;
  place: string;
  address: string;
  parentName: string;
  active?: boolean;
}

function bodyOf(values: Values): Record<string, unknown> {
  const text = (value: string | undefined) => (value ?? '').trim();
  return {
    ...(values.code !== undefined ? { code: text(values.code).toUpperCase() } : {}),
    name: text(values.name),
    shortName: text(values.shortName),
    ...(text(values.place) ? { place: text(values.place) } : {}),
    address: text(values.address),
    parentName: text(values.parentName),
    ...(values.active !== undefined ? { active: values.active } : {}),
  };
}

const required = (what: string) => [{ required: true, whitespace: true, message: `Vui lòng nhập ${what}` }];

/** Creates an organisation under the selected one, or edits the selected one; the saved org goes to `onSaved`. */
export function OrgFormModal({ target, onClose, onSaved }: { target: OrgFormTarget; onClose: () => void; onSaved: (org: Org) => void }) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const creating = target.mode === 'create';
  const level = creating ? childLevel(target.parent.level) : target.org.level;
  const initial: Values = creating
    ? { code: '', name: '', shortName: '', place: target.parent.place ?? '', address: '', parentName: target.parent.name }
    : { name: target.org.name, shortName: target.org.shortName, place: target.org.place ?? '', address: target.org.address ?? '', parentName: target.org.parentName ?? '', active: target.org.active };

  const save = useFormMutation(form, {
    mutationFn: async (values: Values) => {
      if (creating) return apiSend<Org>('POST', '/orgs', { ...bodyOf(values), level, parentId: target.parent.id });
      const changes = changedFields(bodyOf(initial), bodyOf(values));
      return Object.keys(changes).length ? apiSend<Org>('PATCH', `/orgs/${target.org.id}`, changes) : target.org;
    },
    onSuccess: async (org) => {
      await queryClient.invalidateQueries({ queryKey: ['org'] });
      message.success(creating ? `Đã tạo ${org.name}.` : 'Đã lưu tổ chức.');
      onSaved(org);
    },
  });

  return (
    <FormModal<Values>
      title={creating ? `Thêm đơn vị trực thuộc ${target.parent.name}` : `Sửa ${target.org.name}`}
      okText={creating ? 'Tạo tổ chức' : 'Lưu'}
      form={form}
      initialValues={initial}
      sending={save}
      onClose={onClose}
    >
      <Form.Item label="Cấp" htmlFor="org-level">
        <Input id="org-level" value={label(LEVEL_NAMES, level)} disabled />
      </Form.Item>
      {creating && (
        <Form.Item name="code" label="Mã tổ chức" rules={required('mã tổ chức')} extra="Chữ in hoa, số, dấu _ . - (ví dụ HT-KCN)">
          <Input maxLength={32} autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item name="name" label="Tên đầy đủ" rules={required('tên đầy đủ')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="shortName" label="Tên viết tắt" rules={required('tên viết tắt')} extra="Dùng trong ký hiệu văn bản">
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="place" label="Địa danh in trên quyết định">
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="address" label="Địa chỉ">
        <Input maxLength={300} />
      </Form.Item>
      <Form.Item name="parentName" label="Cơ quan chủ quản (góc trái văn bản)">
        <Input maxLength={200} />
      </Form.Item>
      {!creating && (
        <Form.Item
          name="active"
          label="Đang hoạt động"
          valuePropName="checked"
          extra={target.own ? 'Không thể ngừng hoạt động tổ chức của chính mình.' : undefined}
        >
          <Switch disabled={target.own} />
        </Form.Item>
      )}
    </FormModal>
  );
}
