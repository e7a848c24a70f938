/**
 * The dependency rules of Mái ấm, checked by `npm run depcheck` (part of `npm run lint`, so CI fails on them).
 * See src/cases/README.md for how the case lifecycle keeps `cases` free of the features that follow it.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycle anywhere in src/ or tools/, type-only imports included. Effects that follow a case subscribe to cases/lifecycle-events.ts instead of being called from cases.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'web-imports-only-shared',
      severity: 'error',
      comment:
        'The browser bundle takes from the server only the pure modules of src/core/shared/ (statuses, dates, money, roles, organisation levels, banks, masking, document rules, the payment plan, report keys, mapLimit).',
      from: { path: '^src/web/' },
      to: { path: '^src/', pathNot: ['^src/web/', '^src/core/shared/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-types-from-server',
      severity: 'error',
      comment:
        "Web code takes the API's types from the OpenAPI document (src/web/api/schema.gen.ts, `npm run api:types`), not from server modules, even type-only.",
      from: { path: '^src/web/' },
      to: { path: '^src/', pathNot: ['^src/web/', '^src/core/shared/'], dependencyTypes: ['type-only'] },
    },
    {
      name: 'shared-is-pure',
      severity: 'error',
      comment: 'src/core/shared/ is bundled into the browser: it imports only itself and npm packages.',
      from: { path: '^src/core/shared/' },
      to: { path: '^src/', pathNot: '^src/core/shared/' },
    },
    {
      name: 'feature-through-index',
      severity: 'error',
      comment:
        "A feature reaches another feature through that feature's index.ts, not its internal files (src/core/ is not a feature).",
      from: { path: '^src/([^/]+)/', pathNot: '^src/(core|web)/' },
      to: { path: '^src/[^/]+/.', pathNot: ['^src/$1/', '^src/core/', '^src/web/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'core-below-features',
      severity: 'error',
      comment: 'src/core/ is what every feature builds on: it imports no feature.',
      from: { path: '^src/core/' },
      to: { path: '^src/[^/]+/', pathNot: '^src/core/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every relative import resolves to a file (a wrong path would hide a dependency from these rules).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    // TypeScript with ESM `.js` suffixes: the tsconfig maps `./x.js` to `./x.ts`; type-only imports count too.
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
