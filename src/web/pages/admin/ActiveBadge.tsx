import { Badge } from 'antd';

/** Active or not as a coloured dot beside dark text (coloured tag text falls below WCAG AA contrast). */
export function ActiveBadge({ active, inactiveText }: { active: boolean; inactiveText: string }) {
  return active ? <Badge status="success" text="Đang hoạt động" /> : <Badge status="error" text={inactiveText} />;
}
