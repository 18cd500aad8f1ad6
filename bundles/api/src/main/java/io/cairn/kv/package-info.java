/**
 * The key-value access method: B+tree tables of byte-array keys and values.
 *
 * <p>A {@link io.cairn.kv.KeyValueStore} holds named {@link io.cairn.kv.Table}s. Keys are ordered
 * lexicographically as unsigned bytes. Single operations are atomic; a
 * {@link io.cairn.kv.WriteBatch} applies many changes across tables all or nothing; a
 * {@link io.cairn.kv.Cursor} walks a {@link io.cairn.kv.KeyRange} forwards or backwards.
 * The same interfaces are served inside Felix (a {@code KeyValueStore} service) and by the
 * embedded API.
 *
 * <p><b>Role: provider types.</b> Cairn implements the store; applications call it. Callers import
 * {@code [1.0,2.0)}, and Cairn may add methods in minor versions.
 *
 * <p>Errors are unchecked: each misuse has its own subclass of
 * {@link io.cairn.engine.CairnException} with a message naming the table and what was wrong, and
 * an I/O failure is a {@link io.cairn.kv.StorageFailureException}. An operation that throws
 * changed nothing.
 */
@Export
@Version("1.0.0")
package io.cairn.kv;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
