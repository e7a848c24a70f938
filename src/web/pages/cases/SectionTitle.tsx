import { Typography } from 'antd';
import type { ReactNode } from 'react';

/** A section's heading inside the page (h2 under the page's h1), sized for a card's title bar. */
export function SectionTitle({ children }: { children: ReactNode }) {
  return (
    <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
      {children}
    </Typography.Title>
  );
}
