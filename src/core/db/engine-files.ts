// Where the embedded engine lives on disk and how it gets there: from the service (embedded.ts) and from
// `npm run embedded:install` (tools/embedded-mongo/install.ts, npm test's pretest). The launcher's sources
// (pom.xml, the Java files) stay in tools/embedded-mongo/; they are read here, not imported.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// src/core/db/ or, built, dist/core/db/: the project is three folders up either way.
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const toolDir = join(projectRoot, 'tools', 'embedded-mongo');
const home = join(projectRoot, '.embedded');
const libDir = join(home, 'lib');
const classesDir = join(home, 'classes');
const stampFile = join(home, 'stamp');

const MISSING_TOOL =
  'The embedded database needs %s. Install Java 17+ and Maven 3 (Debian: apt-get install openjdk-17-jdk-headless maven), ' +
  'or set MONGODB_URI to a MongoDB server and nothing embedded is started.';

function hasCommand(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/**
 * The launcher and, in the engine's own package, the H2 unique index it opens from a stored file (it can only be made
 * from there).
 */
const SOURCES = ['EmbeddedMongo.java', 'StoredH2UniqueIndex.java'];

/** A stamp of the inputs, so that a changed pom or launcher rebuilds the folder. */
function inputsStamp(): string {
  const hash = createHash('sha256');
  for (const file of ['pom.xml', ...SOURCES]) hash.update(readFileSync(join(toolDir, file)));
  return hash.digest('hex');
}

export interface EngineFiles {
  home: string;
  libDir: string;
  classesDir: string;
  classPath: string;
}

export function engineFiles(): EngineFiles {
  return { home, libDir, classesDir, classPath: [classesDir, join(libDir, '*')].join(':') };
}

export function ensureEmbeddedEngine({
  log = () => {},
}: { log?: ((line: string) => void) | undefined } = {}): EngineFiles {
  const files = engineFiles();
  const stamp = inputsStamp();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return files;

  if (!hasCommand('java', ['-version'])) throw new Error(MISSING_TOOL.replace('%s', 'Java 17 (java was not found)'));
  if (!hasCommand('javac', ['-version']))
    throw new Error(MISSING_TOOL.replace('%s', 'a Java 17 JDK (javac was not found)'));
  if (!hasCommand('mvn', ['-v'])) throw new Error(MISSING_TOOL.replace('%s', 'Maven (mvn was not found)'));

  log('Fetching the embedded MongoDB-compatible engine (mongo-java-server) with Maven…');
  rmSync(home, { recursive: true, force: true });
  mkdirSync(classesDir, { recursive: true });
  execFileSync(
    'mvn',
    ['-q', '-B', '-f', join(toolDir, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${libDir}`],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (!readdirSync(libDir).some((name) => name.startsWith('mongo-java-server-h2-backend'))) {
    throw new Error(`Maven did not bring the engine's jars into ${libDir}`);
  }
  const sources = SOURCES.map((file) => join(toolDir, file));
  execFileSync('javac', ['-nowarn', '-cp', join(libDir, '*'), '-d', classesDir, ...sources], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  writeFileSync(stampFile, stamp);
  return files;
}
