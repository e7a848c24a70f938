import { Flex, Typography } from 'antd';
import type { ReactNode, Ref } from 'react';

interface PageTitleProps {
  children: ReactNode;
  extra?: ReactNode;
  /** Given, the heading can take the focus from script (e.g. after a dialog whose button has gone). */
  headingRef?: Ref<HTMLHeadingElement>;
}

/** The page's one h1-level heading, with the page's main buttons beside it. */
export function PageTitle({ children, extra, headingRef }: PageTitleProps) {
  return (
    <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
      <Typography.Title
        ref={headingRef}
        tabIndex={headingRef ? -1 : undefined}
        level={1}
        className="page-title"
        style={{ marginBottom: 0, fontSize: 24 }}
      >
        {children}
      </Typography.Title>
      {extra && (
        <Flex gap={8} wrap>
          {extra}
        </Flex>
      )}
    </Flex>
  );
}
