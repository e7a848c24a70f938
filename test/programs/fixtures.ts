import { createProvinceTree, type ProvinceTree } from '../support/factory.js';

let province: Promise<ProvinceTree> | undefined;

/**
 * The province the program tests work in, built once for the folder. Tests that set its rules remove them
 * again after each test, so every test starts from the national defaults.
 */
export function programsProvince(): Promise<ProvinceTree> {
  province ??= createProvinceTree();
  return province;
}
