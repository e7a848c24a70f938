import mongoose from 'mongoose';

/** A GridFS bucket of the service's database (uploads, decision PDFs, long job results); works alike on both engines. */
export function gridfsBucket(bucketName: string): mongoose.mongo.GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName });
}
