/** VND are integers everywhere; for people they are grouped with dots: 50.000.000 đồng. */
export function formatVnd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(amount)));
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}

export function formatVndWithUnit(amount: number): string {
  return `${formatVnd(amount)} đồng`;
}
