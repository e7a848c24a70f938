/// <reference lib="dom" />
import type { Page } from 'playwright-core';

/** Waits until no table or page is loading, so that checks see the page as a user reads it. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.querySelector('.ant-spin-spinning, .ant-table-placeholder .ant-spin') === null,
  );
}

/** `50.000.000 đ`, as the pages write money (lib/format.ts). */
export function moneyText(amount: number): string {
  return `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }).format(amount)} đ`;
}
