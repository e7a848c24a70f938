/**
 * The wording of decisions lives in templates/ (SPEC §6) and is checked when the service starts: a broken
 * template stops the start with a message naming the file.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/core/logger.js';
import { configureDecisions } from '../../src/decisions/decisions.settings.js';
import { fillText, loadTemplates, TEMPLATES_DIR, TemplateError } from '../../src/decisions/templates.js';
import { testEnv } from '../support/global-setup.js';

const dirs: string[] = [];

/** A copy of the real templates folder to break. */
function copyOfTemplates(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mai-am-templates-'));
  dirs.push(dir);
  cpSync(TEMPLATES_DIR, dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (template: Record<string, unknown>) => void): void {
  const path = join(dir, file);
  const template = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  change(template);
  writeFileSync(path, JSON.stringify(template, null, 2));
}

function loadError(dir: string): TemplateError {
  try {
    loadTemplates(dir);
  } catch (error) {
    expect(error).to.be.instanceOf(TemplateError);
    return error as TemplateError;
  }
  throw new Error('the broken templates were accepted');
}

describe('decisions: templates', () => {
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('when the shipped templates are loaded, then every program has its own and the rest get default.json', () => {
    const set = loadTemplates();
    for (const program of ['union_house', 'tet_gift', 'disaster_relief'])
      expect(set.forProgram(program, 'XX').source).to.equal(`${program}.json`);
    expect(set.forProgram('emergency_hardship', 'XX').source).to.equal('default.json');
  });

  it('when a file is not valid JSON, then loading fails naming the file', () => {
    const dir = copyOfTemplates();
    writeFileSync(join(dir, 'tet_gift.json'), '{ "subject": "Về việc", ');
    expect(loadError(dir).message).to.contain('tet_gift.json').and.to.contain('not valid JSON');
  });

  it('when an article uses an unknown placeholder, then loading fails naming the file, the article and the placeholder', () => {
    const dir = copyOfTemplates();
    edit(dir, 'union_house.json', (t) => {
      (t.articles as string[])[0] = 'Hỗ trợ đoàn viên {beneficiary} số tiền {amount}.';
    });
    const message = loadError(dir).message;
    expect(message).to.contain('union_house.json').and.to.contain('articles[0]').and.to.contain('{beneficiary}');
  });

  it('when a batch text names one case ({beneficiaryName}), then loading fails: a batch decision has many', () => {
    const dir = copyOfTemplates();
    edit(dir, 'disaster_relief.json', (t) => {
      (t.batch as { articles: string[] }).articles[0] = 'Hỗ trợ {beneficiaryName}.';
    });
    expect(loadError(dir).message)
      .to.contain('disaster_relief.json')
      .and.to.contain('batch')
      .and.to.contain('{beneficiaryName}');
  });

  it('when a required field is missing, or a brace is left open, then loading fails naming the file and the field', () => {
    const missing = copyOfTemplates();
    edit(missing, 'tet_gift.json', (t) => {
      delete t.legalBases;
    });
    expect(loadError(missing).message).to.contain('tet_gift.json').and.to.contain('legalBases');

    const brace = copyOfTemplates();
    edit(brace, 'tet_gift.json', (t) => {
      t.subject = 'Về việc tặng quà {campaignName';
    });
    expect(loadError(brace).message).to.contain('tet_gift.json').and.to.contain('subject').and.to.contain('unbalanced');
  });

  it('when a legal basis does not end as the decree says (";", the last one "."), then loading fails naming it', () => {
    const dir = copyOfTemplates();
    edit(dir, 'union_house.json', (t) => {
      (t.legalBases as string[])[0] = 'Căn cứ Luật Công đoàn ngày 27 tháng 11 năm 2024';
    });
    expect(loadError(dir).message).to.contain('union_house.json').and.to.contain('legalBases[0]').and.to.contain('";"');
  });

  it('when default.json is missing, then loading fails saying so', () => {
    const dir = copyOfTemplates();
    rmSync(join(dir, 'default.json'));
    expect(loadError(dir).message).to.contain('default.json');
  });

  describe('when a province overrides a template', () => {
    it('then its fields replace the national ones for that province only, and the rest is kept', () => {
      const dir = copyOfTemplates();
      mkdirSync(join(dir, 'overrides', 'HT'), { recursive: true });
      writeFileSync(
        join(dir, 'overrides', 'HT', 'union_house.json'),
        JSON.stringify({
          recipients: ['Như Điều 3;', 'Ban Thường vụ LĐLĐ tỉnh;', 'Lưu: VT, TC, CSPL.'],
          subtypes: { repair: 'sửa chữa, nâng cấp' },
        }),
      );
      const set = loadTemplates(dir);
      const own = set.forProgram('union_house', 'HT');
      expect(own.source).to.equal('union_house.json + overrides/HT/union_house.json');
      expect(own.recipients).to.deep.equal(['Như Điều 3;', 'Ban Thường vụ LĐLĐ tỉnh;', 'Lưu: VT, TC, CSPL.']);
      expect(own.subtypes).to.deep.equal({ new_build: 'xây dựng', repair: 'sửa chữa, nâng cấp' });
      expect(own.articles).to.deep.equal(set.forProgram('union_house', 'NA').articles);
      expect(set.forProgram('union_house', 'NA').recipients).to.not.deep.equal(own.recipients);
    });

    it('then a broken override stops the start naming the override file', () => {
      const dir = copyOfTemplates();
      mkdirSync(join(dir, 'overrides', 'HT'), { recursive: true });
      writeFileSync(
        join(dir, 'overrides', 'HT', 'tet_gift.json'),
        JSON.stringify({ articles: ['Tặng quà cho {nguoiNhan}.'] }),
      );
      expect(loadError(dir).message).to.contain('overrides/HT/tet_gift.json').and.to.contain('{nguoiNhan}');
    });
  });

  it('when the app is built over a broken templates folder, then building it throws naming the file', () => {
    const dir = copyOfTemplates();
    writeFileSync(join(dir, 'union_house.json'), '[]');
    const ctx = { config: testEnv().config, logger: createLogger('silent') };
    expect(() => configureDecisions(ctx, dir)).to.throw(TemplateError, /union_house\.json/);
    // The shipped folder again, for the tests after this one.
    configureDecisions(ctx);
    expect(() => createApp(ctx)).to.not.throw();
  });

  it('when a text is filled, then each placeholder takes its value and a missing one prints as nothing', () => {
    expect(fillText('Tặng quà "{campaignName}" cho {beneficiaryName}', { beneficiaryName: 'Lê Thị Ẩn' })).to.equal(
      'Tặng quà "" cho Lê Thị Ẩn',
    );
  });
});
