package io.cairn.io.faultinject;

import java.util.Objects;

/**
 * When to inject a fault into operations of one class.
 *
 * @param operation the operations affected
 * @param kind what the fault does; {@link FaultKind#SHORT_WRITE} only for writes,
 *     {@link FaultKind#BIT_FLIP} only for reads
 * @param afterOperations inject at the operation with this number (1 = the next one of the class),
 *     or 0 to use {@code probability} instead
 * @param probability with {@code afterOperations == 0}: the chance each operation gets the fault
 * @param persistent true: once fired, every later operation of the class fails too (a dead disk);
 *     false: fire once (or per chance) and then behave
 */
public record FaultRule(OperationClass operation, FaultKind kind, long afterOperations, double probability,
        boolean persistent) {

    public FaultRule {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(kind, "kind");
        if (kind == FaultKind.SHORT_WRITE && operation != OperationClass.WRITE) {
            throw new IllegalArgumentException("SHORT_WRITE applies to WRITE operations only");
        }
        if (kind == FaultKind.BIT_FLIP && operation != OperationClass.READ) {
            throw new IllegalArgumentException("BIT_FLIP applies to READ operations only");
        }
        if (afterOperations < 0 || probability < 0 || probability > 1) {
            throw new IllegalArgumentException("afterOperations must be >= 0 and probability in [0, 1]");
        }
        if (afterOperations == 0 && probability == 0) {
            throw new IllegalArgumentException("a rule needs afterOperations > 0 or probability > 0");
        }
    }

    /** Fails the {@code n}-th next operation of the class once. */
    public static FaultRule once(OperationClass operation, FaultKind kind, long n) {
        return new FaultRule(operation, kind, n, 0, false);
    }

    /** Fails the {@code n}-th next operation of the class and every one after it. */
    public static FaultRule from(OperationClass operation, FaultKind kind, long n) {
        return new FaultRule(operation, kind, n, 0, true);
    }

    /** Fails each operation of the class with the given probability. */
    public static FaultRule randomly(OperationClass operation, FaultKind kind, double probability) {
        return new FaultRule(operation, kind, 0, probability, false);
    }
}
