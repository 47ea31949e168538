// Databases a run leaves behind. FerretDB on PostgreSQL keeps each database as a schema and each
// collection as a table: thousands of leftovers bloat PostgreSQL's catalog and slow every query on
// the development machine, so a benchmark drops what it made once its services have stopped (a
// service still running can write again, and so make again, a database just dropped).
import { mongoose } from '@portico/kit/mongo';
import { env } from './environment.js';

/** Drops every database whose name starts with `prefix`; resolves to the names dropped. */
export async function dropDatabases(prefix: string): Promise<string[]> {
  if (prefix.length < 4) throw new Error(`refusing to drop every database starting with "${prefix}"`);
  const client = await mongoose.mongo.MongoClient.connect(env.mongoUrl);
  try {
    const { databases } = await client.db().admin().listDatabases({ nameOnly: true });
    const names = databases.map((database) => database.name).filter((name) => name.startsWith(prefix));
    for (const name of names) await client.db(name).dropDatabase();
    return names;
  } finally {
    await client.close();
  }
}
