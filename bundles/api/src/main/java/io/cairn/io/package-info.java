/**
 * The storage SPI: how Cairn reads, writes and syncs its files.
 *
 * <p>A {@link io.cairn.io.StorageBackend} is the "file system" (open, delete, rename, list, directory
 * sync, lock, probe); a {@link io.cairn.io.StorageFile} is one open file with positional reads and
 * writes, explicit sync levels, size changes and {@link io.cairn.io.IoCapabilities capabilities}.
 * Every transfer names its file offset: there is no hidden seek position.
 *
 * <p><b>Role: consumer types.</b> Third parties implement this SPI (a backend for their storage, a
 * decorator for fault injection or tracing), and Cairn calls it. The interfaces are therefore
 * {@code @ConsumerType}: an implementer imports this package with the range {@code [1.0,2.0)}, and
 * the package may grow in a minor release only by default methods whose behaviour is gated by a
 * capability (for example a new {@link io.cairn.io.IoCapabilities} field whose default means "not
 * supported"), so an implementation written against 1.0 keeps working unchanged.
 *
 * <p>Durability vocabulary used throughout: <em>process crash</em> means the JVM dies but the
 * operating system keeps running (data in the OS page cache survives); <em>power loss</em> means
 * the machine stops (only data that reached stable storage survives).
 */
@Export
@Version("1.0.0")
package io.cairn.io;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
