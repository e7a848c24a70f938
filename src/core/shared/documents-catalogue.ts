/** Vietnamese names of the document types the built-in programs use; unknown types show their code. */
export const DOCUMENT_TYPE_NAMES: Readonly<Record<string, string>> = {
  application_form: 'Đơn đề nghị hỗ trợ',
  commune_confirmation: 'Xác nhận của UBND cấp xã',
  land_certificate: 'Giấy tờ về quyền sử dụng đất',
  house_photo: 'Ảnh hiện trạng nhà ở',
  site_survey_minutes: 'Biên bản khảo sát thực tế',
  handover_minutes: 'Biên bản bàn giao nhà',
  damage_confirmation: 'Xác nhận thiệt hại',
  receipt: 'Chứng từ chi',
  other: 'Tài liệu khác',
};

export function documentTypeName(type: string): string {
  return DOCUMENT_TYPE_NAMES[type] ?? type;
}

/** The types of `required` (each once) that none of the case's documents has: what a step or a tranche still lacks. */
export function missingDocumentTypes(required: Iterable<string>, documents: readonly { type: string }[]): string[] {
  const present = new Set(documents.map((d) => d.type));
  return [...new Set(required)].filter((type) => !present.has(type));
}

/** The parts of a program's rules that name document types (programs/builtin-programs.ts `ProgramRules`). */
export interface DocumentRules {
  documentTypes?: readonly string[];
  requiredDocuments: Readonly<Record<string, readonly string[] | undefined>>;
  tranches: readonly { requiresDocuments?: readonly string[] }[];
}

/** Every document type a case of the program may carry: those any stage or tranche needs, its extras, and `other` last. */
export function documentTypesOf(rules: DocumentRules): string[] {
  const types = new Set<string>(rules.documentTypes ?? []);
  for (const list of Object.values(rules.requiredDocuments)) for (const type of list ?? []) types.add(type);
  for (const tranche of rules.tranches) for (const type of tranche.requiresDocuments ?? []) types.add(type);
  types.add('other');
  return [...types];
}
