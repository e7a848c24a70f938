/// <reference lib="dom" />
/**
 * Helpers of the case pages' browser tests: Ant Design pickers driven as a user drives them, files given to
 * the upload area, and the error shown under a field.
 */
import type { Locator, Page } from 'playwright-core';
import { FILES } from '../documents/fixtures.js';

/** Opens the select labelled `fieldLabel` (typing `search` when given) and picks the option showing `option`. */
export async function choose(
  scope: Page | Locator,
  fieldLabel: string,
  option: string | RegExp,
  search?: string,
  multiple = false,
): Promise<void> {
  const page = 'page' in scope ? scope.page() : scope;
  const input = scope.getByLabel(fieldLabel, { exact: true });
  await input.click();
  if (search) await input.fill(search);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
  // A single choice closes the list; wait until it has gone (a multiple choice stays open for the next one).
  if (!multiple) await page.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden' });
}

/** The error text AntD shows under the field with this label. */
export function fieldError(scope: Page | Locator, fieldLabel: string): Locator {
  // `has` is matched inside each form item, so the label's locator must start at the page, not at the scope.
  const page = 'page' in scope ? scope.page() : scope;
  return scope
    .locator('.ant-form-item')
    .filter({ has: page.getByLabel(fieldLabel, { exact: true }) })
    .locator('.ant-form-item-explain-error');
}

/** Gives one file to the page's upload area (its file chooser input), as a user choosing or dropping it. */
export async function uploadFile(page: Page, type: string, name: string, file: 'pdf' | 'png' = 'pdf'): Promise<void> {
  await choose(page, 'Loại giấy tờ', type);
  await page
    .locator('.ant-upload input[type=file]')
    .setInputFiles({ name, mimeType: FILES[file].mimeType, buffer: FILES[file].bytes });
  await documentRow(page, name).waitFor();
}

/** The case page's row of the paper with this file name. */
export function documentRow(page: Page, fileName: string): Locator {
  return page.locator('.ant-table-row').filter({ hasText: fileName });
}

/** The buttons the case page offers beside its title. */
export async function offeredActions(page: Page): Promise<string[]> {
  const texts = await page.getByRole('group', { name: 'Thao tác với hồ sơ' }).getByRole('button').allInnerTexts();
  return texts.map((text) => text.trim());
}

/** Waits until the passing messages (“Đã gửi hồ sơ.”) have faded: a fading text fails the contrast check. */
export async function messagesGone(page: Page): Promise<void> {
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
}
