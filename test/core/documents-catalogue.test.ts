/** The document types of a program (src/core/shared/documents-catalogue.ts): the upload check and the upload form. */
import { expect } from 'chai';
import { documentTypesOf, missingDocumentTypes } from '../../src/core/shared/documents-catalogue.js';

describe('core: document types of a program', () => {
  it('when the rules name papers in stages, tranches and extras, then each type comes once and `other` last', () => {
    const types = documentTypesOf({
      documentTypes: ['house_photo'],
      requiredDocuments: { submit: ['application_form', 'house_photo'], close: ['receipt'] },
      tranches: [{ requiresDocuments: ['handover_minutes'] }, {}],
    });
    expect(types).to.deep.equal(['house_photo', 'application_form', 'receipt', 'handover_minutes', 'other']);
  });

  it('when a step needs papers, then those the case lacks are listed once each', () => {
    const missing = missingDocumentTypes(['a', 'b', 'a', 'c'], [{ type: 'b' }]);
    expect(missing).to.deep.equal(['a', 'c']);
  });
});
