import { useQueryClient } from '@tanstack/react-query';
import { App, Checkbox, Form, Input, Radio, Switch } from 'antd';
import {
  childLevelsOf,
  DEFAULT_ORG_KIND,
  ORG_KINDS,
  type OrgKind,
  type OrgLevel,
} from '../../../core/shared/org-levels.js';
import { apiSend } from '../../api/client';
import type { Org } from '../../api/types';
import { useFormMutation } from '../../components/useFormMutation';
import { KIND_NAMES, label, LEVEL_NAMES } from '../../lib/labels';
import { changedFields } from '../members/member-values';
import { FormModal } from '../../components/FormModal';

export type OrgFormTarget = { mode: 'create'; parent: Org } | { mode: 'edit'; org: Org; own: boolean };

/** The levels that may be created under an organisation (SPEC §2: under a province, an upper, commune or grassroots union). */
export const childLevels = (level: OrgLevel): OrgLevel[] => childLevelsOf(level);

interface Values {
  level?: OrgLevel;
  kind?: OrgKind;
  /** Commune level: the province lets it verify (`delegations: ["verify"]`). */
  verify?: boolean;
  code?: string;
  name: string;
  shortName: string;
  place: string;
  address: string;
  parentName: string;
  active?: boolean;
}

/** Kind and delegations are sent only for the level that has them (the API refuses them elsewhere). */
function bodyOf(values: Values, level: OrgLevel | undefined): Record<string, unknown> {
  const text = (value: string | undefined) => (value ?? '').trim();
  return {
    ...(level === 'province' ? { kind: values.kind ?? DEFAULT_ORG_KIND } : {}),
    ...(level === 'commune' ? { delegations: values.verify ? ['verify'] : [] } : {}),
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
export function OrgFormModal({
  target,
  onClose,
  onSaved,
}: {
  target: OrgFormTarget;
  onClose: () => void;
  onSaved: (org: Org) => void;
}) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const creating = target.mode === 'create';
  const levels = creating ? childLevels(target.parent.level) : [target.org.level];
  const chosenLevel = Form.useWatch('level', form);
  const level = creating ? (chosenLevel ?? levels[0]) : target.org.level;
  const initial: Values = creating
    ? {
        level: levels[0],
        kind: DEFAULT_ORG_KIND,
        verify: false,
        code: '',
        name: '',
        shortName: '',
        place: target.parent.place ?? '',
        address: '',
        parentName: target.parent.name,
      }
    : {
        kind: target.org.kind ?? DEFAULT_ORG_KIND,
        verify: target.org.delegations?.includes('verify') ?? false,
        name: target.org.name,
        shortName: target.org.shortName,
        place: target.org.place ?? '',
        address: target.org.address ?? '',
        parentName: target.org.parentName ?? '',
        active: target.org.active,
      };

  const save = useFormMutation(form, {
    mutationFn: async (values: Values) => {
      if (creating) return apiSend('POST', '/orgs', { ...bodyOf(values, level), level, parentId: target.parent.id });
      const changes = changedFields(bodyOf(initial, level), bodyOf(values, level));
      return Object.keys(changes).length ? apiSend('PATCH', `/orgs/${target.org.id}`, changes) : target.org;
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
      {levels.length > 1 ? (
        <Form.Item name="level" label="Cấp">
          <Radio.Group
            options={levels.map((l) => ({ value: l, label: label(LEVEL_NAMES, l) }))}
            style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
          />
        </Form.Item>
      ) : (
        <Form.Item label="Cấp" htmlFor="org-level">
          <Input id="org-level" value={label(LEVEL_NAMES, level)} disabled />
        </Form.Item>
      )}
      {level === 'province' && (
        <Form.Item name="kind" label="Loại tổ chức cấp tỉnh">
          <Radio.Group
            options={ORG_KINDS.map((k) => ({ value: k, label: KIND_NAMES[k] }))}
            style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
          />
        </Form.Item>
      )}
      {level === 'commune' && (
        <Form.Item
          name="verify"
          valuePropName="checked"
          extra="Khi được ủy quyền, công đoàn xã, phường thẩm định hồ sơ của các công đoàn cơ sở trực thuộc; nếu không, tỉnh thẩm định."
        >
          <Checkbox>Được ủy quyền thẩm định</Checkbox>
        </Form.Item>
      )}
      {creating && (
        <Form.Item
          name="code"
          label="Mã tổ chức"
          rules={required('mã tổ chức')}
          extra="Chữ in hoa, số, dấu _ . - (ví dụ HT-KCN)"
        >
          <Input maxLength={32} autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item name="name" label="Tên đầy đủ" rules={required('tên đầy đủ')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="shortName"
        label="Tên viết tắt"
        rules={required('tên viết tắt')}
        extra="Dùng trong ký hiệu văn bản"
      >
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
