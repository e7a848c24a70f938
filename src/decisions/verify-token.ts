import { randomBytes } from 'node:crypto';

/** 128 random bits, URL-safe (22 characters): the link cannot be guessed from another decision's. */
export function newVerifyToken(): string {
  return randomBytes(16).toString('base64url');
}

/** The address printed under the QR code: the public page, which also answers JSON to programs. */
export function verifyLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/xac-minh/${token}`;
}
