import mongoose from 'mongoose';

/**
 * How long the driver waits for the embedded engine's answer to its heartbeat: the engine answers a connection on
 * the thread of its network loop, so the heartbeat can wait behind another connection's long command there (a read
 * of 1,000,000 cases takes tens of seconds), and at the driver's 30 s it would clear the pool under that command.
 */
export const EMBEDDED_HEARTBEAT_TIMEOUT_MS = 600_000;

/**
 * `monitorCommands`: the driver emits `commandStarted` for every command (the tests count what a request reads;
 * operators may use it to trace). Off by default. `connectTimeoutMS`: also how long the driver's monitor waits for
 * the server's answer to its heartbeat before it clears the pool (the driver's default, 30 s, when not given).
 */
export async function connectDatabase(
  uri: string,
  options: { monitorCommands?: boolean; connectTimeoutMS?: number } = {},
): Promise<typeof mongoose> {
  await mongoose.connect(uri, {
    ...(options.connectTimeoutMS ? { connectTimeoutMS: options.connectTimeoutMS } : {}),
    serverSelectionTimeoutMS: 15_000,
    autoIndex: false,
    monitorCommands: options.monitorCommands ?? false,
  });
  await prepareCollections(Object.values(mongoose.models));
  return mongoose;
}

/**
 * Each model's collection, then its indexes, created and awaited so that unique constraints exist before the first
 * request. A model starts creating its collection itself (`init`, mongoose's `autoCreate`) as soon as it is defined;
 * its indexes are created only after that has ended: on the embedded engine a `createIndexes` that implicitly
 * creates the collection while its `create` is still on its way fails ("… already existed in … system.namespaces"),
 * which made a first start on an empty data directory fail now and then. An `init` that fails (the collection is
 * then made by its first index) is the one mongoose itself ignores.
 */
export async function prepareCollections(
  models: readonly { init(): Promise<unknown>; createIndexes(): Promise<unknown> }[],
): Promise<void> {
  await Promise.all(
    models.map(async (model) => {
      await model.init().catch(() => undefined);
      await model.createIndexes();
    }),
  );
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

export async function pingDatabase(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== 1 || !db) return false;
  try {
    await db.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}
