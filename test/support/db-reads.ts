/**
 * Counts the commands the service sends to the database while `work` runs, by collection and command name, from
 * the driver's command monitoring (the test connection is opened with `monitorCommands`). Nothing is mocked: the
 * requests go through the real app to the real engine, and the driver reports what it sent.
 */
import mongoose from 'mongoose';
import type { CommandStartedEvent } from 'mongodb';

export interface SentCommand {
  name: string;
  collection: string;
  filter?: unknown;
  projection?: unknown;
}

const READS = new Set(['find', 'aggregate', 'count', 'countDocuments', 'distinct']);

export async function commandsDuring(work: () => Promise<unknown>): Promise<SentCommand[]> {
  const sent: SentCommand[] = [];
  const client = mongoose.connection.getClient();
  const listener = (event: CommandStartedEvent) => {
    const collection = event.command[event.commandName];
    if (typeof collection !== 'string') return;
    sent.push({
      name: event.commandName,
      collection,
      filter: event.command.filter ?? event.command.query,
      projection: event.command.projection,
    });
  };
  client.on('commandStarted', listener);
  try {
    await work();
  } finally {
    client.off('commandStarted', listener);
  }
  return sent;
}

/** The reads among them (find, aggregate, count, distinct) of one collection. */
export function readsOf(sent: readonly SentCommand[], collection: string): SentCommand[] {
  return sent.filter((c) => c.collection === collection && READS.has(c.name));
}
