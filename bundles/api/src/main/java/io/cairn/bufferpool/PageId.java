package io.cairn.bufferpool;

/**
 * The identity of a page: tablespace id and page number within it. The page's file offset is
 * {@code pageNo * pageSizeBytes}; the two are never mixed up in names.
 */
public record PageId(int spaceId, long pageNo) implements Comparable<PageId> {

    public PageId {
        if (pageNo < 0) {
            throw new IllegalArgumentException("pageNo must be >= 0, was " + pageNo);
        }
    }

    /** Orders by space id, then page number: the fixed latching order that prevents deadlocks. */
    @Override
    public int compareTo(PageId other) {
        int bySpace = Integer.compare(spaceId, other.spaceId);
        return bySpace != 0 ? bySpace : Long.compare(pageNo, other.pageNo);
    }

    @Override
    public String toString() {
        return "[space " + spaceId + ", page " + pageNo + "]";
    }
}
