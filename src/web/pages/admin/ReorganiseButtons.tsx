import { Button } from 'antd';
import type { Org } from '../../api/types';
import { useMe } from '../../api/session';
import { useOrg } from '../../components/OrgPicker';
import type { ReorganisationKind } from './reorganisation-api';

/** Which reorganisations the selected organisation offers: the same rules the API checks (SPEC §13). */
export function ReorganiseButtons({
  org,
  onReorganise,
}: {
  org: Org;
  onReorganise: (kind: ReorganisationKind) => void;
}) {
  const own = useOrg(useMe().orgId);
  if (!org.active) return null;
  const movable = org.level !== 'national' && org.level !== 'province';
  const national = own.data?.level === 'national';
  return (
    <>
      {movable && <Button onClick={() => onReorganise('move')}>Chuyển đơn vị…</Button>}
      {movable && (
        <Button danger onClick={() => onReorganise('dissolve')}>
          Giải thể…
        </Button>
      )}
      {org.level === 'province' && national && (
        <Button onClick={() => onReorganise('merge')}>Sáp nhập tỉnh khác vào…</Button>
      )}
    </>
  );
}
