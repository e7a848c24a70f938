/** Vietnamese text without its marks (src/core/search-text.ts): the name search key and the bank transfer note. */
import { expect } from 'chai';
import { searchKey, withoutDiacritics } from '../../src/core/search-text.js';
import { plainAscii } from '../../src/disbursements/bank-transfer.js';

describe('core: text without diacritics', () => {
  it('when the marks are removed, then every Vietnamese letter keeps its base letter and đ, Đ become d, D', () => {
    expect(withoutDiacritics('Mái ấm Công đoàn')).to.equal('Mai am Cong doan');
    expect(withoutDiacritics('ĐẶNG THỊ HƯỜNG, Ỷ Lộc')).to.equal('DANG THI HUONG, Y Loc');
  });

  it('when a name is searched, then the key is lower case with single spaces; a transfer note keeps only ASCII', () => {
    expect(searchKey('  Đặng   Thị Hường ')).to.equal('dang thi huong');
    expect(plainAscii('Hỗ trợ: Mái ấm (đợt 1)!')).to.equal('Ho tro Mai am dot 1');
  });
});
