import { ApiError } from '../../api/client';

/** What the user reads when someone else changed the case between reading and writing (409 STALE_REVISION). */
export const STALE_MESSAGE = 'Hồ sơ vừa được người khác thay đổi; trang đã tải lại bản mới nhất.';

export function isStale(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'STALE_REVISION';
}
