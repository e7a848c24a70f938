// PLACEHOLDER: to be written (issue 9).
export default function Placeholder() {
  return <p>Đang xây dựng</p>;
}
