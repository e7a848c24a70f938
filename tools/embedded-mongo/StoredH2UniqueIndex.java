package de.bwaldvogel.mongo.backend.h2;

import java.util.List;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;

/**
 * A unique index opened from the H2 file with its stored keys (our launcher, EmbeddedMongo.java). It lives in the
 * engine's package because the engine's H2 unique index can only be made from there.
 *
 * On opening a file the engine asks every index whether it is empty, and fills an empty one from the documents: two
 * passes over the whole collection. A sparse unique index that no document feeds yet (the audit log's `seq`, a
 * member's union card number) is empty in the file, so every open read those collections twice for nothing: at
 * 1,000,000 cases the open took more than a minute. The keys of a stored index are complete: the launcher commits
 * every change of documents and their index keys together. So this index answers "not empty" to that question, and
 * the open reads nothing. Everything else (checks, lookups, counts) is the engine's own index on the same stored keys.
 */
public final class StoredH2UniqueIndex extends H2UniqueIndex {

    public StoredH2UniqueIndex(MVMap<KeyValue, Object> keys, String name, List<IndexKey> fields, boolean sparse) {
        super(keys, name, fields, sparse);
    }

    /** Asked only when the index is added to its collection: "must it be filled from the documents?" Never. */
    @Override
    public boolean isEmpty() {
        return false;
    }
}
