import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** The page's one h1-level heading, with the page's main buttons beside it. */
export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
      <Typography.Title level={1} className="page-title" style={{ marginBottom: 0, fontSize: 24 }}>{children}</Typography.Title>
      {extra && <Flex gap={8} wrap>{extra}</Flex>}
    </Flex>
  );
}
