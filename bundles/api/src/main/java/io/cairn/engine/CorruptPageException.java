package io.cairn.engine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A page read from storage failed verification: bad checksum, wrong space id or page number
 * (a misdirected write), or a torn page that doublewrite could not restore. The page is never used.
 */
@ProviderType
public class CorruptPageException extends CairnException {
    private static final long serialVersionUID = 1L;

    private final int spaceId;
    private final long pageNo;

    public CorruptPageException(int spaceId, long pageNo, String detail) {
        super("corrupt page " + pageNo + " of tablespace " + spaceId + ": " + detail);
        this.spaceId = spaceId;
        this.pageNo = pageNo;
    }

    public int spaceId() {
        return spaceId;
    }

    public long pageNo() {
        return pageNo;
    }
}
