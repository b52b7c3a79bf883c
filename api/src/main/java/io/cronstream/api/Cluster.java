package io.cronstream.api;

import java.util.List;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance of the application owns what. Every method throws
 * {@link ApiException#unavailable} while the answer is in flux (startup, rebalance), because a
 * guess would turn into a wrong 404 or an incomplete list.
 */
public interface Cluster {

    /** This instance, as the others reach it ({@code application.server}). */
    HostInfo self();

    /** The instance whose active task holds {@code key} in {@code store}, and the partition. */
    Owner owner(String store, String key);

    /** Every instance that holds part of {@code store}, this one included when it does. */
    List<HostInfo> hosts(String store);

    /** The Kafka Streams state, e.g. RUNNING or REBALANCING. */
    String state();

    /** Whether the state is RUNNING: only then is a list of this instance's keys complete. */
    boolean running();

    /** False once the instance cannot recover by itself (ERROR, NOT_RUNNING): restart it. */
    boolean live();

    /** Where a key lives. */
    record Owner(HostInfo host, int partition, boolean local) {
    }
}
