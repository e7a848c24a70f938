/** A member as the API answers it. */
export interface MemberJson {
  id: string;
  fullName: string;
  citizenId: string;
  orgId: string;
  orgPath: string[];
  bankAccount: { bankBin: string; accountNo: string; accountName: string } | null;
  address: { province: string; commune: string; detail: string };
  [key: string]: unknown;
}
