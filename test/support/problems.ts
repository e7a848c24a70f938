import { expect } from 'chai';
import { Types } from 'mongoose';
import type request from 'supertest';
import { expectProblem } from './api.js';

/** At least one letter only Vietnamese uses: proves a text was written for Vietnamese readers. */
const VIETNAMESE_LETTER = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

export function expectVietnamese(text: unknown): void {
  expect(text).to.be.a('string').and.match(VIETNAMESE_LETTER);
}

/**
 * 400 VALIDATION_FAILED as problem+json, a Vietnamese detail and `errors[{path, message}]`, each message in
 * Vietnamese; every given path must be among the reported ones (a path matches exactly or as the last segment
 * of a prefixed path such as `body.address.$set`).
 */
export function expectValidation(res: request.Response, ...paths: string[]): void {
  expectProblem(res, 400, 'VALIDATION_FAILED');
  expectVietnamese(res.body.detail);
  const errors = res.body.errors as { path: unknown; message: unknown }[];
  expect(errors, JSON.stringify(res.body)).to.be.an('array').that.is.not.empty;
  for (const error of errors) {
    expect(error.path).to.be.a('string').and.not.empty;
    expectVietnamese(error.message);
  }
  const reported = errors.map((e) => String(e.path));
  for (const path of paths) {
    const found = reported.some((p) => p === path || p.endsWith(`.${path}`));
    expect(found, `"${path}" should be among ${JSON.stringify(reported)}`).to.equal(true);
  }
}

export function expectNotFound(res: request.Response): void {
  expectProblem(res, 404, 'NOT_FOUND');
  expectVietnamese(res.body.detail);
}

export function expectForbidden(res: request.Response): void {
  expectProblem(res, 403, 'FORBIDDEN');
  expectVietnamese(res.body.detail);
}

/** A well-formed id that names nothing. */
export function unknownId(): string {
  return new Types.ObjectId().toHexString();
}

/** What a client must never see in any user, org or member it receives. */
export const PRIVATE_FIELDS = ['passwordHash', 'sessionVersion', 'searchKey', 'searchName', '_id', '__v'] as const;

export function expectNoPrivateFields(body: unknown): void {
  const text = JSON.stringify(body);
  for (const field of PRIVATE_FIELDS) expect(text, `${field} leaked`).to.not.include(`"${field}"`);
}
