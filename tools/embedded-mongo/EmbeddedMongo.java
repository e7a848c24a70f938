import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import org.h2.mvstore.MVMap;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.h2.StoredH2UniqueIndex;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;

import java.io.File;
import java.net.InetSocketAddress;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.Stream;
import java.util.regex.Pattern;

/**
 * Launcher for the embedded MongoDB-compatible engine (mongo-java-server).
 *
 * Usage: java EmbeddedMongo memory <port> | java EmbeddedMongo h2 <port> <file>   (port 0: any free port)
 *
 * Prints "READY <port>" on stdout once it accepts connections. Exits when its stdin closes, so the
 * engine never outlives the Node process that started it (a stale engine would keep the H2 file locked).
 */
public final class EmbeddedMongo {

    /** The MongoDB Node driver 7 refuses wire version 8, the newest the engine reports by itself. */
    private static final MongoVersion MONGO_4_4 = new MongoVersion() {
        @Override public List<Integer> getVersionArray() { return List.of(4, 4, 0); }
        @Override public int getWireVersion() { return 9; }
    };

    /**
     * The engine accepts non-unique (secondary) indexes but keeps none (ENGINE-NOTES: queries on them scan). Its
     * placeholder says it is empty, so opening a database "fills" it: two passes over the whole collection per
     * secondary index, for nothing (about 40 s for a 20,000-case file, growing with the data). This placeholder
     * says it is not empty, so the open skips those passes; queries behave exactly as before.
     */
    static final class IgnoredIndex<P> extends EmptyIndex<P> {
        IgnoredIndex(String name, List<IndexKey> keys) { super(name, keys); }

        @Override public boolean isEmpty() { return false; }
    }

    /**
     * The engine answers a query through an index only when the query names exactly that index's keys; any other
     * query reads the whole collection (ENGINE-NOTES). A guarded update, `{_id, status: 'pending'}` or
     * `{_id, revision, status}`, therefore read every document of its collection: at 20,000 cases each payment of a
     * list read all of them. When a query names one `_id` (or `$in` a list of them) beside its other conditions, these
     * collections take the candidates from the `_id` index and match the whole query on them alone. The same
     * documents match as before: the other conditions are ANDed with the `_id` one.
     */
    static Document idPart(Document query) {
        if (query.size() < 2 || !query.containsKey("_id")) return null;
        Object id = query.get("_id");
        if (id == null || id instanceof Collection || id instanceof Pattern || id instanceof BsonRegularExpression) {
            return null;
        }
        if (id instanceof Document) {
            Document operator = (Document) id;
            if (operator.size() != 1 || !(operator.get("$in") instanceof Collection)) return null;
        }
        return new Document("_id", id);
    }

    static <P> Iterable<P> idPositions(MongoCollection<P> collection, Document byId) {
        for (Index<P> index : collection.getIndexes()) {
            if (index.canHandle(byId)) return index.getPositions(byId);
        }
        return null;
    }

    static final class IdFirstMemoryCollection extends MemoryCollection {
        IdFirstMemoryCollection(MongoDatabase database, String name, CollectionOptions options, CursorRegistry cursors) {
            super(database, name, options, cursors);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                             Document fields) {
            Document byId = idPart(query);
            Iterable<Integer> positions = byId == null ? null : idPositions(this, byId);
            if (positions == null) return super.queryDocuments(query, orderBy, skip, limit, batchSize, fields);
            return matchDocuments(query, positions, orderBy, skip, limit, batchSize, fields);
        }

        // No running total of the documents' BSON size (collStats' `size`, which nothing here reads): it encoded each
        // inserted document once more, each updated one twice (old and new), each deleted one once (docs/engine.md).
        @Override
        protected boolean tracksDataSize() { return false; }
    }

    static final class IdFirstMemoryDatabase extends MemoryDatabase {
        IdFirstMemoryDatabase(String name, CursorRegistry cursors) { super(name, cursors); }

        @Override
        protected MemoryCollection openOrCreateCollection(String name, CollectionOptions options) {
            return new IdFirstMemoryCollection(this, name, options, cursorRegistry);
        }
    }

    /**
     * The first `count` documents of a stream in `order`, as a stable sort of the whole stream would give them, holding
     * no more than `count` at a time: ties keep the order in which they were read.
     */
    static List<Document> firstInOrder(Stream<Document> documents, Comparator<Document> order, long count) {
        final class Read {
            final Document document;
            final long seq;
            Read(Document document, long seq) { this.document = document; this.seq = seq; }
        }
        Comparator<Read> stable = Comparator.<Read, Document>comparing(read -> read.document, order)
                .thenComparingLong(read -> read.seq);
        PriorityQueue<Read> kept = new PriorityQueue<>(stable.reversed());
        long[] seq = {0};
        documents.forEach(document -> {
            kept.add(new Read(document, seq[0]++));
            if (kept.size() > count) kept.poll();
        });
        List<Read> sorted = new ArrayList<>(kept);
        sorted.sort(stable);
        List<Document> result = new ArrayList<>(sorted.size());
        for (Read read : sorted) result.add(read.document);
        return result;
    }

    static final class IdFirstMemoryBackend extends MemoryBackend {
        @Override
        public MemoryDatabase openOrCreateDatabase(String name) {
            return new IdFirstMemoryDatabase(name, getCursorRegistry());
        }
    }

    static final class IdFirstH2Collection extends H2Collection {
        /** Documents a getMore without a batch size answers from a cursor read by key (MongoDB's is 16 MB's worth). */
        private static final int KEYED_GET_MORE = 1_000;
        private final MVMap<Object, Document> data;
        private final CursorRegistry cursors;

        IdFirstH2Collection(MongoDatabase database, String name, CollectionOptions options,
                            MVMap<Object, Document> data, MVMap<String, Object> meta, CursorRegistry cursors) {
            super(database, name, options, data, meta, cursors);
            this.data = data;
            this.cursors = cursors;
        }

        /**
         * A query with no sort, skip or limit that asks for batches (`batchSize`: the report rebuild's reads of every
         * case and every settled payment) is read a batch at a time, each batch by key from where the last one ended,
         * as the store stands then (the find or getMore in hand holds its version). The engine's own read every match
         * into one list before the first batch: 1,000,000 cases did not fit a 2 GB heap. As MongoDB's cursors, it is
         * no snapshot: a document is read as it is when the cursor reaches its key, each key once, and one inserted
         * after the cursor's place is read too.
         */
        @Override
        protected QueryResult matchDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                             Document fields) {
            boolean unsorted = orderBy == null || orderBy.keySet().isEmpty();
            if (batchSize <= 0 || skip > 0 || limit > 0 || !unsorted) {
                return super.matchDocuments(query, orderBy, skip, limit, batchSize, fields);
            }
            KeyedCursor cursor = new KeyedCursor(cursors.generateCursorId(), query, fields);
            List<Document> first = cursor.takeDocuments(batchSize);
            if (cursor.isEmpty()) return new QueryResult(first);
            cursors.add(cursor);
            return new QueryResult(first, cursor);
        }

        /** A cursor that keeps the key it read last, not the documents it has yet to answer. */
        final class KeyedCursor implements Cursor {
            private final long id;
            private final Document query;
            private final Document fields;
            // A matcher of its own: the collection's keeps state for an update's positional operator, and a getMore
            // runs outside the collection's lock.
            private final DefaultQueryMatcher matcher = new DefaultQueryMatcher();
            private Object last;
            private boolean ended;

            KeyedCursor(long id, Document query, Document fields) {
                this.id = id;
                this.query = query;
                this.fields = fields;
            }

            @Override
            public long getId() { return id; }

            @Override
            public boolean isEmpty() { return ended; }

            @Override
            public List<Document> takeDocuments(int count) {
                int wanted = count > 0 ? count : KEYED_GET_MORE;
                List<Document> matched = new ArrayList<>();
                Object from = last == null ? data.firstKey() : data.higherKey(last);
                if (from != null) {
                    org.h2.mvstore.Cursor<Object, Document> read = data.cursor(from);
                    while (matched.size() < wanted && read.hasNext()) {
                        last = read.next();
                        Document document = read.getValue();
                        if (document != null && matcher.matches(document, query)) matched.add(document);
                    }
                }
                ended = from == null || last == null || data.higherKey(last) == null;
                if (fields == null || fields.keySet().isEmpty()) return matched;
                // Projected as the engine projects a query's matches.
                return IdFirstH2Collection.super.matchDocumentsFromStream(new Document(), matched.stream(), 0, 0, 0,
                        null, fields).collectDocuments();
            }

            @Override
            public String toString() { return "KeyedCursor(id: " + id + ")"; }
        }

        /**
         * What an aggregation (countDocuments among them) starts from. The engine's own reads every document of the
         * collection into one list first: 1,000,000 cases did not fit a 2 GB heap, and the engine ran out of memory
         * (docs/operations.md). Here the documents are read one after another from the version of the file the
         * command holds (Held), so a $match and a $group keep only what they answer, and the read does not hold the
         * collection's lock for its length, so other reads of the collection go on meanwhile.
         */
        @Override
        public Stream<Document> queryAllAsStream() {
            return data.values().stream();
        }

        /**
         * A sorted query with a limit (every page of a list) keeps only the documents of its page and those before
         * it, not every match. The order is the engine's own: a stable sort of the matches in the order they are read.
         */
        @Override
        protected QueryResult matchDocumentsFromStream(Document query, Stream<Document> documents, int skip, int limit,
                                                       int batchSize, Comparator<Document> order, Document fields) {
            if (order == null || limit <= 0) {
                return super.matchDocumentsFromStream(query, documents, skip, limit, batchSize, order, fields);
            }
            List<Document> page = firstInOrder(documents.filter(document -> documentMatchesQuery(document, query)),
                    order, (long) skip + limit);
            return super.matchDocumentsFromStream(new Document(), page.stream(), skip, limit, batchSize, null, fields);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                             Document fields) {
            Document byId = idPart(query);
            Iterable<Object> positions = byId == null ? null : idPositions(this, byId);
            if (positions == null) return super.queryDocuments(query, orderBy, skip, limit, batchSize, fields);
            return matchDocuments(query, positions, orderBy, skip, limit, batchSize, fields);
        }

        // As in memory; here the total was also written to the collection's metadata map at every write, one more
        // changed page for each commit.
        @Override
        protected boolean tracksDataSize() { return false; }

        // Each statement of an update or delete command holds the store version it started on while it runs (see
        // DurableH2Backend): a statement that scans many documents reads no chunk reused under it, and a command of
        // 100,000 statements keeps no chunk from reuse beyond the statement in hand.
        @Override
        public Document updateDocuments(Document selector, Document update, ArrayFilters arrayFilters,
                                        boolean isMulti, boolean isUpsert, Oplog oplog) {
            Held held = Held.on(h2Store);
            try {
                return super.updateDocuments(selector, update, arrayFilters, isMulti, isUpsert, oplog);
            } finally {
                held.release();
            }
        }

        @Override
        public int deleteDocuments(Document selector, int limit, Oplog oplog) {
            Held held = Held.on(h2Store);
            try {
                return super.deleteDocuments(selector, limit, oplog);
            } finally {
                held.release();
            }
        }
    }

    /**
     * A store version held by a running command or statement (registerVersionUsage), with when it began. While one is
     * held, no chunk written since it began can be reused, so the compaction (flushPeriodically) waits for the ones
     * held longer than the retention to end: the pages it writes again could not free their old chunks meanwhile, and
     * a report rebuild's reads of 1,000,000 cases, held for minutes, let it grow the file by gigabytes.
     */
    static final class Held {
        private static final java.util.Set<Held> ALL = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final MVStore store;
        private final MVStore.TxCounter usage;
        private final long since = System.nanoTime();

        private Held(MVStore store) {
            this.store = store;
            this.usage = store.registerVersionUsage();
        }

        static Held on(MVStore store) {
            Held held = new Held(store);
            ALL.add(held);
            return held;
        }

        void release() {
            ALL.remove(this);
            store.deregisterVersionUsage(usage);
        }

        static boolean anyLongerThan(long millis) {
            long now = System.nanoTime();
            for (Held held : ALL) if (now - held.since > millis * 1_000_000L) return true;
            return false;
        }
    }

    /** The one store of this process: the database's constructor opens collections before its own fields are set. */
    private static MVStore h2Store;

    static final class FastOpenH2Database extends H2Database {
        /**
         * False while H2Database's constructor opens the stored collections and indexes (a field without initializer
         * is only set after it), true afterwards, when a createIndexes command makes a new index.
         */
        private boolean opened;

        FastOpenH2Database(String name, MVStore store, CursorRegistry cursors) {
            super(name, store, cursors);
            opened = true;
        }

        /**
         * An index opened from the file with its stored keys is not filled again from the documents
         * (StoredH2UniqueIndex). A new index, or one whose keys are not in the file, is made and filled as before.
         *
         * A new index whose build failed on a duplicate leaves the keys it had stored before the duplicate in the
         * file, and the engine would take them for a complete index when the same index is made again. Those
         * leftover keys are dropped first, so that the index is filled from the documents.
         */
        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collection, String name, List<IndexKey> keys, boolean sparse) {
            String mapName = getFullCollectionNamespace(collection) + "._index_" + name;
            if (!opened && h2Store.hasMap(mapName)) {
                MVMap<KeyValue, Object> stored = h2Store.openMap(mapName);
                return new StoredH2UniqueIndex(stored, name, keys, sparse);
            }
            if (opened && h2Store.hasMap(mapName) && !hasIndex(collection, name)) {
                h2Store.<KeyValue, Object>openMap(mapName).clear();
            }
            return super.openOrCreateUniqueIndex(collection, name, keys, sparse);
        }

        private boolean hasIndex(String collection, String name) {
            MongoCollection<Object> owner = resolveCollection(collection, false);
            return owner != null && owner.getIndexes().stream().anyMatch(index -> index.getName().equals(name));
        }

        /** As H2Database opens a collection (the same map names), as an id-first collection. */
        @Override
        protected MongoCollection<Object> openOrCreateCollection(String name, CollectionOptions options) {
            String full = getFullCollectionNamespace(name);
            MVMap<Object, Document> data = h2Store.openMap("databases." + full);
            MVMap<String, Object> meta = h2Store.openMap("meta." + full);
            return new IdFirstH2Collection(this, name, options, data, meta, cursorRegistry);
        }

        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collection, String name, List<IndexKey> keys, boolean sparse) {
            return new IgnoredIndex<>(name, keys);
        }
    }

    /**
     * The H2 store commits in the background by default, so an acknowledged write could be lost on kill -9.
     * Auto-commit is off and every message that changed the store is committed before its answer is sent.
     *
     * Each command but an insert, an update or a delete (whose statements each hold theirs) also holds the store's
     * version it started on for as long as it runs (registerVersionUsage, as H2's own transactions do: Held), so that
     * no chunk holding a page it may still read is written over: a query walks the version it started on. Nothing reads
     * the store between messages: a cursor keeps either the documents it has left (the engine's lists) or only the key
     * it read last (KeyedCursor), and each getMore is a command holding its own version. That is what lets the
     * retention time be short (openStore).
     */
    static final class DurableH2Backend extends H2Backend {
        /** Commands that hold no version themselves: an insert needs none, an update or a delete holds one per statement. */
        private static final java.util.Set<String> PER_STATEMENT = java.util.Set.of("insert", "update", "delete");

        DurableH2Backend(MVStore store) { super(store); }

        @Override
        protected MongoDatabase openOrCreateDatabase(String databaseName) {
            return new FastOpenH2Database(databaseName, getMvStore(), getCursorRegistry());
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            // An insert reads nothing but single keys of the newest version, so it holds none: a message inserting
            // 100,000 documents commits many times on its way, and holding its first version would keep every chunk
            // it makes from being reused until it ends. An update or a delete holds one per statement instead
            // (IdFirstH2Collection): a bulk write of 100,000 updates held its first version for minutes, and a
            // 1,000,000-case report rebuild doubled the file.
            Held held = PER_STATEMENT.contains(command) ? null : Held.on(getMvStore());
            try {
                return super.handleCommand(channel, database, command, query);
            } finally {
                if (held != null) held.release();
                commitIfChanged();
            }
        }

        @Override
        public Document handleMessage(MongoMessage message) {
            // The engine hands the message's command to handleCommand, which holds the version.
            try {
                return super.handleMessage(message);
            } finally {
                commitIfChanged();
            }
        }

        @Override
        public QueryResult handleQuery(MongoQuery query) {
            Held held = Held.on(getMvStore());
            try {
                return super.handleQuery(query);
            } finally {
                held.release();
                commitIfChanged();
            }
        }

        private void commitIfChanged() {
            MVStore store = getMvStore();
            if (store.hasUnsavedChanges()) {
                store.commit();
            }
        }
    }

    /** Compact the H2 file on start when less than this percentage of it holds live data. */
    private static final int COMPACT_BELOW_FILL_RATE = 50;

    /**
     * How long a chunk no page uses any more is kept before its space is written over (H2's default: 45 s). H2 keeps
     * it so that a crash of the machine is unlikely to find the space of a dead chunk reused while the chunks that
     * replaced its pages are not on disk yet; the default is sized to the operating system's own flush of written
     * pages (30 s on Linux). With a commit after every changing message, 45 s of chunks is gigabytes under
     * sustained writes (docs/operations.md). The launcher flushes the file every FLUSH_EVERY_MS instead, so the
     * chunks written more than a second ago are on disk, and keeps dead chunks for RETENTION_MS.
     */
    private static final int RETENTION_MS = 3_000;
    private static final long FLUSH_EVERY_MS = 1_000;
    /**
     * Chunks less full than this (percent) have their live pages written again, COMPACT_WRITE_BYTES every
     * COMPACT_EVERY_MS: small slices, since writes wait while a slice is written (docs/operations.md).
     */
    private static final int COMPACT_BELOW_CHUNK_FILL_RATE = 30;
    private static final int COMPACT_WRITE_BYTES = 2 * 1024 * 1024;
    private static final long COMPACT_EVERY_MS = 125;

    /**
     * H2's page cache, in MB: an eighth of the heap (256 MB at the service's default `EMBEDDED_MONGO_HEAP` of 2g), at
     * least H2's own default of 16 MB. With 16 MB, reading a 20,000-case list by id from a 1.4 GB file took 5.1-5.6 s
     * and a scan of its cases 4.4 s, each page read again from the file and deserialised; with 256 MB, 2.8-3.5 s and
     * 1.7 s (docs/operations.md, "The H2 page cache"). H2 counts a page's memory below what its documents take on the
     * heap: after every document of that file was read twice, a 512 MB cache held about 790 MB live, hence an
     * eighth and not more.
     */
    static int pageCacheMb() {
        long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        return (int) Math.max(16, heapMb / 8);
    }

    private static MVStore openStore(File file) {
        h2Store = new MVStore.Builder().fileName(file.getPath()).autoCommitDisabled().cacheSize(pageCacheMb()).open();
        h2Store.setRetentionTime(RETENTION_MS);
        return h2Store;
    }

    /**
     * Every COMPACT_EVERY_MS the live pages of sparse chunks written again, and every FLUSH_EVERY_MS the file flushed
     * to disk (a daemon thread; it ends with the process).
     */
    private static void flushPeriodically() {
        Thread flusher = new Thread(() -> {
            long lastFlush = System.nanoTime();
            while (true) {
                try {
                    Thread.sleep(COMPACT_EVERY_MS);
                    MVStore store = h2Store;
                    if (store == null || store.isClosed()) continue;
                    // Pages still live in chunks that are mostly dead are written again, so that those chunks die
                    // and their space is reused (what H2's background housekeeping does, which auto-commit off stops).
                    // The commit stores those pages; like a commit after another connection's message, it may also
                    // store part of a message still running, whose own commit follows before its answer.
                    // Not while a version is held longer than the retention: the chunks it pins stay whatever is
                    // written again, so the compaction would only add to the file (Held).
                    if (!Held.anyLongerThan(RETENTION_MS)
                            && store.compact(COMPACT_BELOW_CHUNK_FILL_RATE, COMPACT_WRITE_BYTES)) store.commit();
                    if (System.nanoTime() - lastFlush >= FLUSH_EVERY_MS * 1_000_000L) {
                        store.sync();
                        lastFlush = System.nanoTime();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException | StackOverflowError e) {
                    // Closed meanwhile (shutdown): nothing left to flush. Anything else is said, and tried again: a
                    // thread that ended here would leave the file unflushed and uncompacted for the engine's life.
                    // An OutOfMemoryError ends the engine (-XX:+ExitOnOutOfMemoryError, src/core/db/embedded.ts).
                    MVStore store = h2Store;
                    if (store != null && !store.isClosed()) System.err.println("H2 flush or compaction failed: " + e);
                }
            }
        }, "h2-flush");
        flusher.setDaemon(true);
        flusher.start();
    }

    /**
     * Threads that read, run and answer the commands of the service's connections. Each connection is served by one of
     * them, and a command runs on its connection's thread: with Netty's default (twice the cores, 4 on 2 cores) a long
     * command (a report's aggregation, a list chunk's bulk write) held up every connection sharing its thread. With 32,
     * up to 32 connections each have a thread of their own. More threads than cores cost short reads a little: 64 put
     * the case read's goal at risk (docs/engine.md has both measurements).
     */
    static final int NETWORK_THREADS = 32;

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || (args[0].equals("h2") && args.length < 3)) {
            System.err.println("usage: EmbeddedMongo memory <port> | EmbeddedMongo h2 <port> <file>");
            System.exit(2);
        }
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        MongoBackend backend;
        if (kind.equals("h2")) {
            File file = new File(args[2]);
            File parent = file.getAbsoluteFile().getParentFile();
            if (parent != null) parent.mkdirs();
            MVStore store = openStore(file);
            int fillRate = Math.min(store.getFillRate(), store.getFileStore().getChunksFillRate());
            if (fillRate < COMPACT_BELOW_FILL_RATE) {
                // Committing after every write grows the file quickly; compact it while nothing else holds it.
                // Only when much of it is dead space: compacting rewrites the whole file (12 s for 60 MB here).
                store.close();
                MVStoreTool.compact(file.getPath(), true);
                store = openStore(file);
            }
            backend = new DurableH2Backend(store);
            flushPeriodically();
            System.out.println("PAGE_CACHE " + pageCacheMb());
        } else if (kind.equals("memory")) {
            backend = new IdFirstMemoryBackend();
        } else {
            System.err.println("unknown backend: " + kind);
            System.exit(2);
            return;
        }
        backend.version(MONGO_4_4);

        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress("127.0.0.1", port), 1, NETWORK_THREADS);
        System.out.println("READY " + server.getLocalAddress().getPort());
        System.out.flush();

        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // Anything written to stdin is ignored; end of stream means the parent is gone.
        }
        System.exit(0);
    }
}
