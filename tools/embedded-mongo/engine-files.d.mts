export interface EngineFiles {
  home: string;
  libDir: string;
  classesDir: string;
  classPath: string;
}
export function engineFiles(): EngineFiles;
export function ensureEmbeddedEngine(options?: { log?: ((line: string) => void) | undefined }): EngineFiles;
