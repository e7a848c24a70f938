/** A list's name as people say it: the file's name without its extension (officers know lists by name, not file type). */
export function listName(fileName: string): string {
  return fileName.replace(/\.(xlsx|csv)$/i, '');
}

/** The list page's title: "Danh sách …" once, even when the file's own name already starts with it. */
export function listTitle(fileName: string): string {
  const name = listName(fileName);
  return /^danh sách/iu.test(name.normalize('NFC')) ? name : `Danh sách ${name}`;
}
