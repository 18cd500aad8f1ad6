/**
 * Conformance suites: abstract JUnit 5 test classes that every implementation of a Cairn SPI must
 * pass. A backend author writes one subclass with one factory method and runs it in their own
 * build; Cairn runs the same classes against its own implementations.
 *
 * <p><b>Role: consumer types.</b> Third parties extend these classes, so new tests are added as new
 * concrete test methods (which is compatible) and new factory hooks only as overridable methods
 * with defaults.
 */
@Export
@Version("1.0.0")
package io.cairn.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
