/**
 * What every redo log implementation needs to make committers wait for the log: {@link
 * io.cairn.redo.support.LsnWaiters} (wait until a written or flushed LSN covers yours) and {@link
 * io.cairn.redo.support.WaitQueue} (wait for any condition on volatile state).
 *
 * <p>Not exported and not a runtime bundle: the redo bundles copy this package in privately (bnd
 * {@code -conditionalpackage}). Stopping one redo log bundle during a hot swap must never stop the
 * other, and a shared bundle would tie their lifecycles together; a private copy of two small
 * classes costs nothing.
 */
package io.cairn.redo.support;
