package io.cairn.bufferpool;

/**
 * How a buffer pool is built. Defaults follow InnoDB (innodb.md section 1).
 *
 * @param sizeBytes total frame memory; rounded down to a multiple of {@code instances * chunkSizeBytes}
 * @param chunkSizeBytes the unit in which the pool grows and shrinks while running
 * @param pageSizeBytes 4, 8, 16, 32 or 64 KiB, fixed when the data directory was created
 * @param instances number of pool instances; a page maps to one by space id and page number with
 *     the low 6 bits dropped, so an extent of 64 pages stays in one instance
 * @param frameAlignmentBytes frames are aligned to this (the strictest alignment of any data
 *     backend, at least 4096)
 * @param oldBlocksPct share of the LRU list kept as the "old" sublist (InnoDB 37)
 * @param oldBlocksTimeMillis how long a page must stay in the old sublist before an access moves
 *     it to the young end (InnoDB 1000)
 * @param lruScanDepth how many LRU tail pages a search for a free frame looks at (InnoDB 1024)
 * @param readAheadThreshold sequential accesses in an extent that trigger linear read-ahead of the
 *     next extent (InnoDB 56 of 64); 0 disables read-ahead
 */
public record BufferPoolConfig(
        long sizeBytes,
        long chunkSizeBytes,
        int pageSizeBytes,
        int instances,
        int frameAlignmentBytes,
        int oldBlocksPct,
        long oldBlocksTimeMillis,
        int lruScanDepth,
        int readAheadThreshold) {

    /** The InnoDB-like defaults for a pool of {@code sizeBytes} with {@code pageSizeBytes} pages. */
    public static BufferPoolConfig defaults(long sizeBytes, int pageSizeBytes) {
        int instances = sizeBytes >= (1L << 30) ? 8 : 1;
        return new BufferPoolConfig(sizeBytes, 128L << 20, pageSizeBytes, instances, 4096, 37, 1000, 1024, 56);
    }
}
