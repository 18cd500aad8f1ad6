/**
 * The engine: lifecycle, tablespaces, mini-transactions, checkpoints, runtime swaps.
 *
 * <p>An {@link io.cairn.engine.Engine} wires a buffer pool, a redo log, storage backends and a
 * flush policy over a home directory. Access methods (the key-value store) change pages only
 * inside a {@link io.cairn.engine.MiniTransaction}, which logs every change as physical redo and
 * commits atomically. {@link io.cairn.engine.EngineControl} changes backends, policy, durability
 * and sizes while the engine runs; {@link io.cairn.engine.EngineListener}s hear about phases and
 * swaps.
 *
 * <p><b>Role: provider types,</b> except {@link io.cairn.engine.EngineListener}. Cairn implements
 * the engine; users and access methods call it, so callers import {@code [1.0,2.0)} and Cairn may
 * add methods in minor versions. {@code EngineListener} is implemented by users and is therefore
 * {@code @ConsumerType}; it grows only by default methods.
 *
 * <p>Errors: I/O failures are {@link java.io.IOException}s; misuse and state errors are unchecked
 * subclasses of {@link io.cairn.engine.CairnException} with a message that names what was wrong.
 */
@Export
@Version("1.0.0")
package io.cairn.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
