package io.cairn.bufferpool;

/** How a fixed page is latched. */
public enum LatchMode {
    /** Many readers at once; excludes writers. The page's bytes are stable while held. */
    SHARED,
    /** One writer; excludes everyone. Required to change the page. */
    EXCLUSIVE,
    /**
     * No latch is taken: the reader copies what it needs and then calls
     * {@link PageHandle#validate()}; if that returns false a writer changed the page meanwhile and
     * everything read must be discarded and read again. Readers must not act on bytes (follow a
     * pointer, throw a corruption error) before validation succeeds.
     */
    OPTIMISTIC
}
