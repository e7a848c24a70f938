/** The CSV files the service writes (src/core/csv.ts): transfer lists, reports and the list template. */
import { expect } from 'chai';
import { csvCell, csvFile, neutralise } from '../../src/core/csv.js';

describe('core: CSV files', () => {
  it('when a cell would start a formula, then it gets a leading apostrophe; numbers and plain text stay', () => {
    for (const text of ['=HYPERLINK("x")', '+84', '-1', '@SUM', '\tA', '\rA'])
      expect(neutralise(text), JSON.stringify(text)).to.equal(`'${text}`);
    expect(neutralise(-5)).to.equal(-5);
    expect(neutralise('Nguyễn Văn A')).to.equal('Nguyễn Văn A');
  });

  it('when a cell holds a comma, a quote or a line break, then it is quoted with its quotes doubled', () => {
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
    expect(csvCell('two\nlines')).to.equal('"two\nlines"');
    expect(csvCell('=1,2')).to.equal(`"'=1,2"`);
    expect(csvCell(25_000_000)).to.equal('25000000');
  });

  it('when a file is written, then it is UTF-8 with a byte-order mark and CRLF after every line', () => {
    const text = csvFile([['Họ và tên', 'Số tiền'], ['Trần Thị Bình', 1_000_000], []]).toString('utf8');
    expect(text).to.equal('\uFEFFHọ và tên,Số tiền\r\nTrần Thị Bình,1000000\r\n\r\n');
  });
});
