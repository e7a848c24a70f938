/** PUBLIC_BASE_URL (src/core/config.ts): the address printed in every decision's QR code and verify line. */
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/core/config.js';

describe('decisions: the public address', () => {
  it('when PUBLIC_BASE_URL is not set, then decisions point at http://localhost:3000', () => {
    expect(loadConfig({}).publicBaseUrl).to.equal('http://localhost:3000');
  });

  it('when it is given with a path and a trailing slash, then the slash is dropped and the path kept', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://maiam.congdoan.vn/ht/' }).publicBaseUrl).to.equal(
      'https://maiam.congdoan.vn/ht',
    );
  });

  it('when it is not an http(s) address, then loading fails naming PUBLIC_BASE_URL', () => {
    for (const PUBLIC_BASE_URL of ['maiam.congdoan.vn', 'ftp://maiam.congdoan.vn', 'http//x']) {
      expect(() => loadConfig({ PUBLIC_BASE_URL }), PUBLIC_BASE_URL).to.throw(ConfigError, /PUBLIC_BASE_URL/);
    }
  });
});
