/**
 * Issue 18: a register is written as its lines are read (reports/csv.ts `writeTableCsv`, reports/xlsx.ts
 * `writeTableXlsx`). When the client leaves in the middle, the writing stops: the rows stop being read (the database
 * cursor behind them is closed through the generator's `return`) and the call ends with an error instead of
 * reading the rest of a quarter into nowhere or waiting for ever.
 */
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { writeTableCsv } from '../../src/reports/csv.js';
import type { Cell, StreamedTable } from '../../src/reports/table.js';
import { writeTableXlsx } from '../../src/reports/xlsx.js';

/** A table of endless rows that says how many were read and whether its reading was closed. */
function endless() {
  const seen = { rows: 0, closed: false };
  async function* rows(): AsyncGenerator<Cell[]> {
    try {
      for (;;) {
        seen.rows += 1;
        // A row as a register's, long enough that the file grows quickly.
        yield [
          seen.rows,
          '20/01/2026',
          'PC-TET-01',
          'Chi',
          `QT-${seen.rows}`,
          'Nguyễn Thị Hường',
          'x'.repeat(200),
          'QXH',
          1,
          seen.rows,
        ];
        // Let the destination's close be heard between rows, as a database read would.
        if (seen.rows % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      seen.closed = true;
    }
  }
  const table: StreamedTable = {
    name: 'SỔ CHI TRẢ HỖ TRỢ ĐOÀN VIÊN',
    fileName: 'so-chi-tra',
    orgName: 'Liên đoàn Lao động tỉnh',
    parentName: 'TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM',
    place: 'Hà Tĩnh',
    periodLabel: 'Quý I năm 2026',
    number: '……/BC-LĐLĐ',
    preparedBy: 'Kế toán',
    columns: Array.from({ length: 10 }, (_, i) => ({ header: `C${i}`, width: 10, numeric: i === 8 })),
    summed: Array.from({ length: 10 }, (_, i) => i === 8),
    rows: rows(),
    total: () => ['Tổng cộng', '', '', '', '', '', '', '', seen.rows, seen.rows],
  };
  return { seen, table };
}

/** A client that reads about `bytes` and then leaves (its socket destroyed). */
function leavingAfter(bytes: number): Writable {
  let received = 0;
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      done();
      if (received >= bytes) out.destroy();
    },
  });
  return out;
}

describe('reports: a register file whose client leaves half-way', function () {
  this.timeout(60_000);

  for (const [format, write] of [
    ['CSV', writeTableCsv],
    ['XLSX', writeTableXlsx],
  ] as const) {
    it(`when the client of a ${format} register leaves, then the writing fails, the rows stop being read and their reading is closed`, async () => {
      const { seen, table } = endless();

      const failed = await write(table, leavingAfter(256 * 1024)).then(
        () => false,
        () => true,
      );

      expect(failed, 'the write reports the client gone').to.equal(true);
      // The rows are closed once the row being read is through (a database read in flight is not cut off).
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen.closed, 'the rows were closed').to.equal(true);
      const readThen = seen.rows;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen.rows, 'no row is read once they are closed').to.equal(readThen);
      expect(readThen).to.be.below(100_000);
    });
  }
});
