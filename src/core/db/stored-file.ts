/**
 * The fields every uploaded file keeps where it is attached (a case's papers, a payment's receipts):
 * metadata for people, the SHA-256, and the generated name in the store, which clients never see.
 */
export const storedFileFields = {
  id: { type: String, required: true },
  originalName: { type: String, required: true },
  mimeType: { type: String, required: true },
  size: { type: Number, required: true },
  sha256: { type: String, required: true },
  storedName: { type: String, required: true, private: true },
  uploadedBy: { id: { type: String, required: true }, name: { type: String, required: true } },
  uploadedAt: { type: Date, required: true },
};
