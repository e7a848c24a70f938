/** Statuses in which the union may still edit the case (cases/workflow.ts EDITABLE_STATUSES). */
export const EDITABLE_STATUSES = ['draft', 'returned'];

/** How each workflow action (SPEC §5) appears: its button, its dialog, and what the dialog asks. */
export type ActionFields = 'note' | 'reason' | 'verify' | 'approve';

export interface ActionSpec {
  button: string;
  title: string;
  fields: ActionFields;
  ok: string;
  done: string;
  primary?: boolean;
  danger?: boolean;
  /** What the user should know before confirming. */
  warning?: string;
  /** The step needs papers of the program's stage (cases/workflow.ts `documentStage`): missing ones are named and stop it. */
  papers?: boolean;
}

export const ACTIONS: Record<string, ActionSpec> = {
  submit: {
    button: 'Gửi hồ sơ',
    title: 'Gửi hồ sơ lên công đoàn cấp trên',
    fields: 'note',
    ok: 'Gửi hồ sơ',
    done: 'Đã gửi hồ sơ.',
    primary: true,
    papers: true,
    warning: 'Sau khi gửi, hồ sơ không sửa được cho tới khi bị trả lại. Thông tin đoàn viên được chụp lại lúc gửi.',
  },
  verify: {
    button: 'Thẩm định',
    title: 'Thẩm định hồ sơ',
    fields: 'verify',
    ok: 'Xác nhận thẩm định',
    done: 'Đã thẩm định hồ sơ.',
    primary: true,
    papers: true,
  },
  approve: {
    button: 'Phê duyệt',
    title: 'Phê duyệt hồ sơ và ban hành quyết định',
    fields: 'approve',
    ok: 'Phê duyệt',
    done: 'Đã phê duyệt hồ sơ và ban hành quyết định.',
    primary: true,
  },
  return: {
    button: 'Trả lại',
    title: 'Trả lại hồ sơ để bổ sung, sửa',
    fields: 'reason',
    ok: 'Trả lại',
    done: 'Đã trả lại hồ sơ.',
  },
  reject: {
    button: 'Từ chối',
    title: 'Từ chối hồ sơ',
    fields: 'reason',
    ok: 'Từ chối',
    done: 'Đã từ chối hồ sơ.',
    danger: true,
    warning: 'Hồ sơ bị từ chối sẽ kết thúc, không gửi lại được.',
  },
  revoke: {
    button: 'Thu hồi phê duyệt',
    title: 'Thu hồi phê duyệt',
    fields: 'reason',
    ok: 'Thu hồi',
    done: 'Đã thu hồi phê duyệt.',
    danger: true,
    warning: 'Quyết định của hồ sơ bị thu hồi và số tiền đã cam kết được trả lại các nguồn kinh phí.',
  },
  withdraw: {
    button: 'Rút hồ sơ',
    title: 'Rút hồ sơ',
    fields: 'note',
    ok: 'Rút hồ sơ',
    done: 'Đã rút hồ sơ.',
    danger: true,
    warning: 'Hồ sơ đã rút sẽ kết thúc, không gửi lại được.',
  },
  close: {
    button: 'Kết thúc hồ sơ',
    title: 'Kết thúc hồ sơ',
    fields: 'note',
    ok: 'Kết thúc',
    done: 'Đã kết thúc hồ sơ.',
    papers: true,
    warning: 'Hồ sơ đã chi đủ sẽ được đóng lại.',
  },
};
