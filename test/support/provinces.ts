import { createProvinceTree, type ProvinceTree } from './factory.js';

let foreign: Promise<ProvinceTree> | undefined;
let shared: Promise<ProvinceTree> | undefined;

/**
 * A province outside the scope of every tree a test file builds for itself. Tests only aim at it (reads,
 * refused writes, duplicate values), never count what it holds, so one per run is enough and saves the
 * password hashing of a tree per file.
 */
export function foreignProvince(): Promise<ProvinceTree> {
  foreign ??= createProvinceTree();
  return foreign;
}

/**
 * A province for test files that compare what it holds before and after each request, never its whole
 * contents (the bad-input files), so they can share it. Files that assert exact lists build their own tree.
 */
export function sharedProvince(): Promise<ProvinceTree> {
  shared ??= createProvinceTree();
  return shared;
}
