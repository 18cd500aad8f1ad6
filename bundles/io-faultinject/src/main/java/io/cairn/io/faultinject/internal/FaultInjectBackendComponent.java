package io.cairn.io.faultinject.internal;

import io.cairn.io.FilterStorageBackend;
import io.cairn.io.StorageBackend;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * DS adapter registering a {@link FaultInjectingStorageBackend} around another backend, chosen by
 * the {@code target.target} filter (default: the buffered backend). It registers the decorator
 * object itself as an extra service so that test code in the framework can drive crashes.
 */
@Component(
        service = {StorageBackend.class, FaultInjectBackendComponent.class},
        configurationPid = FaultInjectBackendComponent.PID,
        property = StorageBackend.NAME_PROPERTY + "=" + FaultInjectingStorageBackend.NAME)
@Designate(ocd = FaultInjectBackendComponent.Config.class)
public final class FaultInjectBackendComponent extends FilterStorageBackend {

    static final String PID = "io.cairn.io.faultinject";

    @ObjectClassDefinition(name = "Cairn fault-injecting backend (tests only)",
            description = "Wraps another backend and simulates power loss and I/O errors.")
    public @interface Config {
        @AttributeDefinition(name = "Seed", description = "Seed of every random decision; 0 picks one and logs it.")
        long seed() default 0;

        @AttributeDefinition(name = "Wrapped backend", description = "Filter selecting the backend to wrap.")
        String target_target() default "(" + StorageBackend.NAME_PROPERTY + "=buffered)";
    }

    private final FaultInjectingStorageBackend decorator;

    @Activate
    public FaultInjectBackendComponent(
            @Reference(name = "target", target = "(" + StorageBackend.NAME_PROPERTY + "=buffered)",
                    policyOption = ReferencePolicyOption.GREEDY) StorageBackend target,
            Config config) {
        long seed = config.seed() != 0 ? config.seed() : System.nanoTime();
        this.decorator = new FaultInjectingStorageBackend(target, seed);
    }

    /** The decorator, for tests that crash it or inject faults. */
    public FaultInjectingStorageBackend decorator() {
        return decorator;
    }

    @Override
    protected StorageBackend delegate() {
        return decorator;
    }
}
